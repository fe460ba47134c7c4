import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { IncomingMessage } from 'node:http';
import type { AuditEntry } from './audit.js';
import { AuthError, INTROSPECT_SCOPE } from './auth.js';
import type { Identity } from './context.js';
import { applyDenials, type AuthDirectives } from './authz.js';
import type { CostModel } from './cost.js';
import type { GatewayConfig } from './config.js';
import type { GatewayContext } from './context.js';
import type { createDocumentResolver } from './documents.js';
import { errorBody, readBody } from './http.js';
import { idempotencyKeyOf, keyRefusalStatus } from './idempotency.js';
import { RequestRejection, stripSuggestions, type createLimits } from './limits.js';
import type { createOperationCache } from './operation-cache.js';
import type { createQuotas } from './quota.js';
import type { ResponseCache } from './response-cache.js';

/** What the HTTP layer sends back. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Apollo's context for one request; the response plugin fills in the error codes. */
export interface RequestContext extends GatewayContext {
  errorCodes?: string[];
}

/** What the gateway serves from one supergraph. */
export interface ServedSchema {
  schema: GraphQLSchema;
  directives: AuthDirectives;
  /** `@cost`/`@listSize` weights and list sizes (cost.ts). */
  cost: CostModel;
  version: string;
}

export interface PipelineDeps {
  config: GatewayConfig;
  apollo: ApolloServer<RequestContext>;
  authenticate: (req: IncomingMessage) => Promise<Identity>;
  consumeQuota: ReturnType<typeof createQuotas>;
  limits: ReturnType<typeof createLimits>;
  /** Parse, validation and authorization, cached per document (operation-cache.ts). */
  operations: ReturnType<typeof createOperationCache>;
  resolveDocument: ReturnType<typeof createDocumentResolver>;
  /** The schema, auth and cost directives served (they change on supergraph reload). */
  current: () => ServedSchema | undefined;
  /** Whole answers of queries (off: undefined). */
  responseCache?: ResponseCache;
  /** Counts an answer served from the response cache in the request metrics. */
  observeCachedAnswer?: (
    operationName: string | undefined,
    type: string,
    seconds: number,
    authenticated: boolean,
  ) => void;
  sensitiveTypes: ReadonlySet<string>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

function parseJsonParam(value: string | null, name: string): unknown {
  if (value === null || value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new RequestRejection(400, 'BAD_REQUEST', `\`${name}\` is not valid JSON.`);
  }
}

/** Content types a browser sends cross-site without a preflight (Apollo's CSRF prevention). */
const SIMPLE_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];

/**
 * Apollo Server's CSRF prevention, applied before anything else (a cached answer included): a
 * request needs a content type a browser cannot send cross-site without a preflight, or a
 * non-empty preflight header.
 */
function csrfSafe(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (type !== undefined) {
    const essence = type.split(';')[0].trim().toLowerCase();
    if (!SIMPLE_CONTENT_TYPES.has(essence)) return true;
  }
  return PREFLIGHT_HEADERS.some((h) => {
    const v = req.headers[h];
    return typeof v === 'string' && v.length > 0;
  });
}

/**
 * "Did you mean …?" hints name schema members; callers without introspection never see them, in
 * any error (validation, variable coercion: enum values, input fields, whatever produced it).
 */
function withoutSuggestions(reply: Reply): Reply {
  if (!reply.body.includes('Did you mean')) return reply;
  const parsed = JSON.parse(reply.body) as unknown;
  for (const result of Array.isArray(parsed) ? parsed : [parsed]) {
    const errors = (result as { errors?: { message?: unknown }[] } | null)?.errors;
    if (!Array.isArray(errors)) continue;
    for (const e of errors)
      if (typeof e?.message === 'string') e.message = stripSuggestions(e.message);
  }
  return { ...reply, body: JSON.stringify(parsed) };
}

/**
 * A shared HTTP cache must not hand an answer computed for one caller's credentials to another:
 * answers to authenticated callers are marked private.
 */
function forCaller(cacheControl: string, identity: Identity): string {
  return identity.authenticated ? cacheControl.replace(/\bpublic\b/, 'private') : cacheControl;
}

const json200 = (body: string, cacheControl: string, identity: Identity): Reply => ({
  status: 200,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': forCaller(cacheControl, identity),
  },
  body,
});

/**
 * The request pipeline in front of Apollo Server, in order: credentials (401), quota (429),
 * body (413/400), document (APQ, trusted documents), parse (400), limits and validation (400),
 * authorization (fields removed with FORBIDDEN at their paths), then execution.
 */
export function createPipeline(deps: PipelineDeps) {
  const { config, limits } = deps;

  async function executeOne(
    raw: unknown,
    method: string,
    req: IncomingMessage,
    requestId: string,
    identity: Identity,
    audit: Partial<AuditEntry>,
    internal = false,
  ): Promise<Reply> {
    const startedAt = performance.now();
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new RequestRejection(400, 'BAD_REQUEST', 'The body must be a JSON object.');
    }
    const body = raw as Record<string, unknown>;
    const { operationName, variables } = body;
    if (operationName != null && typeof operationName !== 'string') {
      throw new RequestRejection(400, 'BAD_REQUEST', '`operationName` must be a string.');
    }
    if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) {
      throw new RequestRejection(400, 'BAD_REQUEST', '`variables` must be an object.');
    }
    const { query, hash } = deps.resolveDocument(body, identity.trustedDocumentsOnly);
    audit.documentHash = hash;
    audit.operationName = operationName ?? undefined;
    const served = deps.current();
    if (!served) throw new RequestRejection(503, 'SERVICE_UNAVAILABLE', 'Starting up.');
    const privileged = identity.scopes.includes(INTROSPECT_SCOPE);
    const opName = operationName ?? undefined;
    const doc = deps.operations.document(
      served.schema,
      hash,
      query,
      config.fieldSuggestions || privileged,
    );
    limits.checkCost(
      served.schema,
      served.cost,
      doc,
      opName,
      (variables as Record<string, unknown>) ?? undefined,
    );
    const prepared = deps.operations.authorize({
      schema: served.schema,
      directives: served.directives,
      sensitiveTypes: deps.sensitiveTypes,
      hash,
      query,
      operationName: opName,
      identity,
    });
    if (!prepared) throw new RequestRejection(400, 'BAD_REQUEST', 'Name the operation to run.');
    const { auth } = prepared;
    audit.operationType = auth.operation;
    audit.operationName = auth.operationName;
    audit.sensitiveFields = auth.sensitive;
    if (auth.introspection && !(config.introspection || privileged)) {
      throw new RequestRejection(400, 'INTROSPECTION_DISABLED', 'Introspection is disabled.');
    }
    if (auth.operation !== 'query' && !identity.authenticated) {
      throw new AuthError('UNAUTHENTICATED', 'Writes need credentials: an API key or a token.');
    }
    if (!auth.document) {
      const out: { data?: Record<string, unknown> | null; errors?: unknown[] } = {};
      applyDenials(out, auth);
      audit.errorCodes = ['FORBIDDEN'];
      return json(200, out);
    }
    // Whole answers of queries, as the subgraphs' cache hints allow (response-cache.ts).
    const cache =
      auth.operation === 'query' && auth.denied.length === 0 && !auth.introspection
        ? deps.responseCache
        : undefined;
    const cacheQuery = {
      schemaVersion: served.version,
      documentHash: hash,
      operationName: opName,
      variables,
      identity,
    };
    const cached = cache ? await cache.lookup(cacheQuery) : undefined;
    if (cached?.hit) {
      audit.errorCodes = [];
      deps.observeCachedAnswer?.(
        auth.operationName,
        auth.operation,
        (performance.now() - startedAt) / 1000,
        identity.authenticated,
      );
      return json200(cached.hit.body, cached.hit.cacheControl, identity);
    }
    const text = prepared.text;
    const extensions = { ...((body.extensions as Record<string, unknown>) ?? {}) };
    delete extensions.persistedQuery; // resolved above; Apollo's own APQ is off
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    if (internal) {
      // A registered operation the gateway itself sends (CSV), as JSON whatever the caller's GET.
      headers.set('content-type', 'application/json');
      headers.set('accept', 'application/json');
    }
    let search = '';
    if (method === 'GET') {
      const params = new URLSearchParams({ query: text });
      if (operationName) params.set('operationName', operationName);
      if (variables) params.set('variables', JSON.stringify(variables));
      if (Object.keys(extensions).length) params.set('extensions', JSON.stringify(extensions));
      search = `?${params}`;
    }
    const context: RequestContext = {
      requestId,
      identity,
      subgraphs: new Set(),
      // Validated, then passed on to the subgraphs' mutation fetches (idempotency.ts).
      idempotencyKey: auth.operation === 'mutation' ? idempotencyKeyOf(req.headers) : undefined,
    };
    const result = await deps.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method,
        headers,
        search,
        body:
          method === 'POST'
            ? {
                query: text,
                ...(operationName != null ? { operationName } : {}),
                ...(variables != null ? { variables } : {}),
                extensions,
              }
            : undefined,
      },
      context: async () => context,
    });
    let bodyText = '';
    if (result.body.kind === 'complete') bodyText = result.body.string;
    else for await (const chunk of result.body.asyncIterator) bodyText += chunk;
    if (auth.denied.length > 0) {
      const parsed = JSON.parse(bodyText) as Parameters<typeof applyDenials>[0];
      applyDenials(parsed, auth);
      bodyText = JSON.stringify(parsed);
    }
    audit.errorCodes = [
      ...(auth.denied.length ? ['FORBIDDEN'] : []),
      ...(context.errorCodes ?? []),
    ];
    const status = keyRefusalStatus(auth.operation, bodyText) ?? result.status ?? 200;
    const cacheControl = result.headers.get('cache-control');
    if (auth.operation === 'mutation') await deps.responseCache?.invalidate(context.subgraphs!);
    else if (cache && status === 200 && !context.errorCodes?.length) {
      void cache.store(cacheQuery, bodyText, cacheControl, context.subgraphs!, cached?.gens);
    }
    const outHeaders: Record<string, string> = {};
    for (const [key, value] of result.headers) outHeaders[key] = value;
    if (cacheControl) outHeaders['cache-control'] = forCaller(cacheControl, identity);
    return { status, headers: outHeaders, body: bodyText };
  }

  /**
   * Runs a request; fills `audit` with what it learns on the way. `internal` is an operation
   * the gateway runs for the caller (a CSV download: a registered query, given as the body),
   * with the caller's credentials, quota, limits and audit, and without CSRF prevention (the
   * caller sent a plain GET, and a registered query has no effect but its answer). An
   * export page built from a trusted document (`fromTrusted`) runs for callers restricted to
   * trusted documents too. Only unexpected errors throw.
   */
  return async function run(
    req: IncomingMessage,
    requestId: string,
    audit: Partial<AuditEntry>,
    internal?: { body: Record<string, unknown>; fromTrusted?: boolean },
  ): Promise<Reply> {
    let suggestions = config.fieldSuggestions;
    const reply = await runUnfiltered(req, requestId, audit, internal, (identity) => {
      suggestions ||= identity.scopes.includes(INTROSPECT_SCOPE);
    });
    return suggestions ? reply : withoutSuggestions(reply);
  };

  async function runUnfiltered(
    req: IncomingMessage,
    requestId: string,
    audit: Partial<AuditEntry>,
    internal: { body: Record<string, unknown>; fromTrusted?: boolean } | undefined,
    identified: (identity: Identity) => void,
  ): Promise<Reply> {
    const method = internal ? 'POST' : (req.method ?? 'GET');
    try {
      if (method !== 'GET' && method !== 'POST') {
        return json(405, errorBody('Use GET or POST.', 'METHOD_NOT_ALLOWED'), {
          allow: 'GET, POST',
        });
      }
      if (!internal && !csrfSafe(req)) {
        throw new RequestRejection(
          400,
          'BAD_REQUEST',
          'This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). ' +
            "Send a 'content-type' other than application/x-www-form-urlencoded, " +
            `multipart/form-data or text/plain, or a non-empty ${PREFLIGHT_HEADERS.join(' or ')} header.`,
        );
      }
      const identity = await deps.authenticate(req);
      identified(identity);
      Object.assign(audit, {
        caller: identity.id,
        callerKind: identity.kind,
        callerName: identity.name,
        owner: identity.owner,
      });
      const decision = await deps.consumeQuota(identity.id, identity.quota);
      if (!decision.allowed) {
        const message =
          decision.code === 'QUOTA_EXCEEDED'
            ? 'The daily quota of these credentials is used up.'
            : 'Too many requests; slow down.';
        return json(429, errorBody(message, decision.code!), {
          'retry-after': String(decision.retryAfter),
        });
      }
      let raw: unknown;
      if (internal) raw = internal.body;
      else if (method === 'POST') {
        const text = await readBody(req, config.limits.maxBodyBytes);
        try {
          raw = JSON.parse(text);
        } catch {
          throw new RequestRejection(400, 'BAD_REQUEST', 'Malformed JSON body.');
        }
      } else {
        const params = new URL(req.url ?? '/', 'http://gateway').searchParams;
        raw = {
          query: params.get('query') ?? undefined,
          operationName: params.get('operationName') ?? undefined,
          variables: parseJsonParam(params.get('variables'), 'variables'),
          extensions: parseJsonParam(params.get('extensions'), 'extensions'),
        };
      }
      if (!Array.isArray(raw))
        return await executeOne(
          raw,
          method,
          req,
          requestId,
          internal?.fromTrusted ? { ...identity, trustedDocumentsOnly: false } : identity,
          audit,
          internal !== undefined,
        );
      const max = config.limits.maxBatchSize;
      if (max === 0) throw new RequestRejection(400, 'BATCHING_NOT_ALLOWED', 'Batching is off.');
      if (raw.length === 0 || raw.length > max) {
        throw new RequestRejection(400, 'BATCH_TOO_LARGE', `A batch holds 1 to ${max} operations.`);
      }
      // Each operation of a batch counts against the quota.
      for (let i = 1; i < raw.length; i++) {
        const d = await deps.consumeQuota(identity.id, identity.quota);
        if (!d.allowed) {
          return json(429, errorBody('Too many requests; slow down.', d.code!), {
            'retry-after': String(d.retryAfter),
          });
        }
      }
      const replies: unknown[] = [];
      for (const op of raw) {
        try {
          replies.push(
            JSON.parse((await executeOne(op, method, req, requestId, identity, audit)).body),
          );
        } catch (err) {
          if (!(err instanceof RequestRejection || err instanceof AuthError)) throw err;
          replies.push(errorBody(err.message, err.code));
        }
      }
      return json(200, replies);
    } catch (err) {
      if (err instanceof AuthError) {
        return json(401, errorBody(err.message, err.code), {
          'www-authenticate': 'Bearer, ApiKey header="x-api-key"',
        });
      }
      if (err instanceof RequestRejection) {
        const errors = err.errors?.length
          ? err.errors.map((e) => ({
              message: e.message,
              locations: e.locations,
              extensions: { code: err.code },
            }))
          : errorBody(err.message, err.code).errors;
        return json(err.status, { errors });
      }
      throw err;
    }
  }
}
