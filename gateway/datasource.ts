import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../contract/errors.js';
import { IDENTITY_HEADER, signIdentity } from '../contract/identity.js';
import type { Logger } from 'pino';
import type { GatewayContext, Identity } from './context.js';
import { CircuitBreaker, type BreakerPermit } from './breaker.js';
import { IDEMPOTENCY_HEADER } from './idempotency.js';
import type { BreakerState, FetchObserver, FetchOutcome } from './metrics.js';
import {
  createSubgraphHttpClient,
  type SubgraphHttpClient,
  type SubgraphHttpResponse,
} from './subgraph-http.js';
import { cacheHintOf, unavailable } from './subgraph-response.js';
import { injectTraceContext } from './tracing.js';

export interface SubgraphPolicy {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  breaker: { failureThreshold: number; resetMs: number };
  sharedSecret: string;
  /** Share one subgraph fetch between identical concurrent queries (same caller scopes). */
  dedupe: boolean;
  /** Most open connections to this subgraph. */
  maxSockets: number;
  /**
   * Largest request body sent to the subgraph (the subgraphs accept at least this much, see
   * config.ts): a larger fetch is refused with 413 SUBGRAPH_REQUEST_TOO_LARGE, never sent.
   */
  maxRequestBytes: number;
}

type OperationOptions = Extract<
  GraphQLDataSourceProcessOptions<GatewayContext>,
  { incomingRequestContext: unknown }
>;

class SubgraphFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * A subgraph's 4xx answer: the request's fault, not the subgraph's. 408 and 429 are not among
 * them (the subgraph is slow or overloaded: those count as failures).
 */
class SubgraphRefusal extends Error {
  constructor(readonly res: SubgraphHttpResponse) {
    super(`HTTP ${res.status}`);
  }
}

/** The code of a fetch too large for the subgraphs' body limit (HTTP 413; see config.ts). */
export const SUBGRAPH_REQUEST_TOO_LARGE = ErrorCode.SUBGRAPH_REQUEST_TOO_LARGE;

/**
 * A fetch that ended: the subgraph's answer, its refusal (4xx), or unavailable. The parsed
 * result goes to the first consumer; others sharing the fetch parse the text again (the gateway
 * merges response objects into its own result tree, so two requests must never share them).
 */
type Settled =
  | { ok: true; res: SubgraphHttpResponse; parsed?: GatewayGraphQLResponse }
  | { ok: false; refused?: SubgraphHttpResponse };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const JSON_TYPE = /^application\/(graphql-response\+)?json/;
/** Identity headers are re-signed after this long (subgraphs accept them for 5 minutes). */
const SIGNATURE_TTL_MS = 30_000;

/**
 * Fetches from one subgraph over pooled keep-alive connections (subgraph-http.ts). Passes the
 * request id, the signed caller identity and the trace context on; bounds the whole fetch
 * (retries included) by the timeout; retries queries — never mutations — with exponential
 * backoff; trips a circuit breaker after repeated failures; shares one fetch between identical
 * concurrent queries of callers with the same scopes. Passes a mutation's `Idempotency-Key` on
 * (idempotency.ts). Any failure becomes a SUBGRAPH_UNAVAILABLE error at each affected response
 * path, without the subgraph's address.
 *
 * A client error is never a subgraph outage: a fetch larger than the subgraphs accept is not
 * sent (413 SUBGRAPH_REQUEST_TOO_LARGE), and a subgraph's 4xx answer (but 408/429) passes its
 * errors and status on, is not retried and does not count against the breaker (a half-open
 * trial that ends so is released, not left in flight).
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  readonly breaker: CircuitBreaker;
  private readonly http: SubgraphHttpClient;
  private readonly inFlight = new Map<string, Promise<Settled>>();
  private readonly signatures = new Map<string, { value: string; until: number }>();

  constructor(
    private readonly subgraph: string,
    readonly url: string,
    private readonly policy: SubgraphPolicy,
    private readonly log: Logger,
    private readonly observeFetch?: FetchObserver,
    onBreakerChange?: (state: BreakerState) => void,
    private readonly recordCache?: (cache: string, hit: boolean) => void,
  ) {
    this.http = createSubgraphHttpClient(url, { maxSockets: policy.maxSockets });
    this.breaker = new CircuitBreaker(
      policy.breaker.failureThreshold,
      policy.breaker.resetMs,
      (state) => {
        log.warn({ subgraph, state }, `circuit breaker of ${subgraph} is ${state}`);
        onBreakerChange?.(state === 'half-open' ? 'half_open' : state);
      },
    );
  }

  /** Closes the pooled connections. */
  close(): void {
    this.http.close();
  }

  async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const { query, variables, operationName } = options.request;
    if (!query) throw new Error('Missing query');
    const body = JSON.stringify({ query, variables, operationName });
    // Health checks and schema loading go straight through; only operations are guarded.
    if (!('incomingRequestContext' in options)) {
      const res = await this.http.post(body, this.headersFor(undefined), this.policy.timeoutMs);
      return parseResult(res);
    }
    const context = options.context;
    context?.subgraphs?.add(this.subgraph);
    const isMutation = /^\s*mutation\b/.test(query);
    // One budget: a fetch the subgraph would refuse for its size is not sent (client error).
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > this.policy.maxRequestBytes) {
      this.log.warn(
        {
          subgraph: this.subgraph,
          requestId: context?.requestId,
          bytes,
          limit: this.policy.maxRequestBytes,
        },
        'subgraph request over the size limit: not sent',
      );
      return refusal(options, 413, SUBGRAPH_REQUEST_TOO_LARGE, TOO_LARGE_MESSAGE);
    }
    const headers = this.headersFor(context);
    // Only on the mutation fetches: the entity reads that follow a write are not writes.
    if (isMutation && context?.idempotencyKey) headers[IDEMPOTENCY_HEADER] = context.idempotencyKey;
    let settled: Settled;
    if (isMutation || !this.policy.dedupe) {
      settled = await this.guarded(body, headers, context, isMutation);
    } else {
      const key = `${scopeKey(context?.identity)}\n${body}`;
      const shared = this.inFlight.get(key);
      this.recordCache?.('subgraph_fetch_dedup', shared !== undefined);
      if (shared) settled = await shared;
      else {
        const started = this.guarded(body, headers, context, false);
        this.inFlight.set(key, started);
        try {
          settled = await started;
        } finally {
          this.inFlight.delete(key);
        }
      }
    }
    if (!settled.ok) {
      return settled.refused ? refused(options, settled.refused) : unavailable(options);
    }
    const result = settled.parsed ?? parseResult(settled.res);
    settled.parsed = undefined;
    restrictCachePolicy(options, settled.res);
    return result;
  }

  /** The breaker, metrics and retries around one logical fetch. */
  private async guarded(
    body: string,
    headers: Record<string, string>,
    context: GatewayContext | undefined,
    isMutation: boolean,
  ): Promise<Settled> {
    const permit = this.breaker.acquire();
    if (!permit) return { ok: false };
    // Observability: fetch count, latency and errors per subgraph.
    const done = this.observeFetch?.(this.subgraph);
    let outcome: FetchOutcome = 'unavailable';
    try {
      const settled = await this.attempt(body, headers, context, isMutation, permit);
      if (settled.ok) outcome = settled.parsed?.errors?.length ? 'graphql_error' : 'success';
      else if (settled.refused) outcome = 'graphql_error';
      return settled;
    } finally {
      // Whatever happened above, a half-open breaker's trial never stays in flight.
      permit.release();
      done?.(outcome);
    }
  }

  /** Retries queries with backoff inside the deadline, never mutations. */
  private async attempt(
    body: string,
    headers: Record<string, string>,
    context: GatewayContext | undefined,
    isMutation: boolean,
    permit: BreakerPermit,
  ): Promise<Settled> {
    const requestId = context?.requestId;
    const deadline = Date.now() + this.policy.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.http.post(body, headers, deadline - Date.now());
        const parsed = checkResponse(res);
        permit.success();
        return { ok: true, res, parsed };
      } catch (err) {
        // A 4xx is our request's fault: neither retried nor counted against the subgraph.
        if (err instanceof SubgraphRefusal) {
          this.log.warn(
            { subgraph: this.subgraph, requestId, status: err.res.status },
            'subgraph refused the request',
          );
          permit.release();
          return { ok: false, refused: err.res };
        }
        const timedOut = (err as Error).name === 'TimeoutError' || Date.now() >= deadline;
        const wait = this.policy.backoffMs * 2 ** attempt * (0.5 + Math.random());
        const retry =
          !isMutation && !timedOut && attempt < this.policy.retries && Date.now() + wait < deadline;
        this.log.warn(
          { err, subgraph: this.subgraph, requestId, attempt, retry },
          'subgraph fetch failed',
        );
        if (retry) {
          await sleep(wait);
          continue;
        }
        permit.failure();
        return { ok: false };
      }
    }
  }

  private headersFor(context: GatewayContext | undefined): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (context?.requestId) headers['x-request-id'] = context.requestId;
    if (context?.identity) headers[IDENTITY_HEADER] = this.signed(context.identity);
    // Observability: continue the trace (the active span is @apollo/gateway's fetch span).
    injectTraceContext({ set: (name, value) => (headers[name] = value) });
    return headers;
  }

  /** The identity header, re-used for a while per caller: one HMAC per caller, not per fetch. */
  private signed(identity: Identity): string {
    const key = `${identity.kind}\n${identity.id}\n${identity.scopes.join(' ')}`;
    const now = Date.now();
    const known = this.signatures.get(key);
    if (known && known.until > now) return known.value;
    if (this.signatures.size >= 10_000) this.signatures.clear();
    const value = signIdentity(identity, this.policy.sharedSecret, now);
    this.signatures.set(key, { value, until: now + SIGNATURE_TTL_MS });
    return value;
  }
}

/** What two callers must share for one subgraph answer to serve both. */
function scopeKey(identity: Identity | undefined): string {
  if (!identity) return '-';
  return `${identity.authenticated ? 'auth' : 'anon'}:${[...identity.scopes].sort().join(' ')}`;
}

/**
 * The parsed answer; throws a SubgraphRefusal for a 4xx (but 408 and 429), a SubgraphFailure
 * unless it is a 2xx GraphQL JSON result.
 */
function checkResponse(res: SubgraphHttpResponse): GatewayGraphQLResponse {
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    throw new SubgraphRefusal(res);
  }
  if (res.status < 200 || res.status >= 300) {
    throw new SubgraphFailure(`HTTP ${res.status}`, res.status >= 500, res.status);
  }
  const type = String(res.headers['content-type'] ?? '');
  if (!JSON_TYPE.test(type)) throw new SubgraphFailure('response is not JSON', true);
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    throw new SubgraphFailure('response is not valid JSON', true);
  }
  if (!parsed || typeof parsed !== 'object' || (!('data' in parsed) && !('errors' in parsed))) {
    throw new SubgraphFailure('response is not a GraphQL result', true);
  }
  return parsed as GatewayGraphQLResponse;
}

const TOO_LARGE_MESSAGE =
  'The request is too large to pass on once expanded for the subgraphs: send shorter values.';

/**
 * The answer to a request a subgraph refused (4xx): 413 SUBGRAPH_REQUEST_TOO_LARGE at each
 * affected field for a body too large; else the subgraph's own GraphQL errors when it sent some
 * (validation, bad input, a reused idempotency key), or BAD_REQUEST at each affected field. The subgraph's status becomes the
 * answer's status (`extensions.http`, which Apollo Server applies and removes).
 */
function refused(options: OperationOptions, res: SubgraphHttpResponse): GatewayGraphQLResponse {
  // A body-size refusal says the same as the gateway's own check (the subgraph's limit is lower
  // than this gateway assumed: MAX_BODY_BYTES differs between them).
  if (res.status === 413) {
    return refusal(options, 413, SUBGRAPH_REQUEST_TOO_LARGE, TOO_LARGE_MESSAGE);
  }
  const http = { status: res.status };
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    parsed = undefined;
  }
  const errors = (parsed as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    return {
      errors: (errors as GraphQLFormattedError[]).map((e) => ({
        ...e,
        extensions: { ...e.extensions, http },
      })),
    };
  }
  return refusal(options, res.status, 'BAD_REQUEST', 'A part of the graph refused the request.');
}

/** One error per field the fetch was to provide, with this code and HTTP status. */
function refusal(
  options: OperationOptions,
  status: number,
  code: string,
  message: string,
): GatewayGraphQLResponse {
  return {
    errors: (unavailable(options).errors ?? []).map((e) => ({
      ...e,
      message,
      extensions: { code, http: { status } },
    })),
  };
}

function parseResult(res: SubgraphHttpResponse): GatewayGraphQLResponse {
  return JSON.parse(res.body) as GatewayGraphQLResponse;
}

/** As @apollo/gateway's own data source: the subgraph's Cache-Control restricts the response's. */
function restrictCachePolicy(options: OperationOptions, res: SubgraphHttpResponse): void {
  const policy = options.incomingRequestContext.overallCachePolicy;
  if (!policy || !('restrict' in policy)) return;
  policy.restrict(cacheHintOf(res.headers['cache-control']));
}
