/**
 * What the stages' unit tests share: real parts of the gateway built on the committed supergraph
 * (API schema, auth and cost directives, limits, document and operation caches, in-memory
 * quotas), no subgraph and no socket. Not imported by the gateway itself.
 */
import { ApolloServer } from '@apollo/server';
import { buildASTSchema, parse } from 'graphql';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { pino } from 'pino';
import { apiSchemaOf, readSupergraph } from '../../scripts/api-schema.js';
import { AuthDirectives } from '../auth/directives.js';
import { loadGatewayConfig } from '../config.js';
import type { Identity } from '../context.js';
import { CostModel } from '../operations/cost.js';
import { createDocumentResolver } from '../operations/documents.js';
import { registerJoinFields } from '../operations/join-fields.js';
import { createLimits } from '../operations/limits.js';
import { createOperationCache } from '../operations/operation-cache.js';
import { createQuotas } from '../auth/quota.js';
import type { OperationState, PipelineDeps, RequestContext, RequestState } from './types.js';

const sdl = readSupergraph();
const schema = apiSchemaOf(sdl);
registerJoinFields(schema, buildASTSchema(parse(sdl), { assumeValidSDL: true }));
export const served = {
  schema,
  directives: AuthDirectives.fromSupergraph(sdl),
  cost: CostModel.fromSupergraph(sdl),
  version: 'test',
};

export const anonymous: Identity = {
  kind: 'anonymous',
  id: 'ip:192.0.2.1',
  authenticated: false,
  scopes: [],
  quota: { perMinute: 0, perDay: 0 },
  trustedDocumentsOnly: false,
};

export const partner: Identity = {
  kind: 'api-key',
  id: 'key:partner',
  name: 'partner',
  authenticated: true,
  scopes: [],
  quota: { perMinute: 0, perDay: 0 },
  trustedDocumentsOnly: false,
};

/** An HTTP request as Node's server hands it over: a readable body with method, URL, headers. */
export function request(
  opts: {
    method?: string;
    url?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  } = {},
): IncomingMessage {
  const req = Readable.from(opts.body === undefined ? [] : [Buffer.from(opts.body)]);
  return Object.assign(req, {
    method: opts.method ?? 'POST',
    url: opts.url ?? '/graphql',
    headers: { 'content-type': 'application/json', ...opts.headers },
  }) as unknown as IncomingMessage;
}

/**
 * An Apollo Server over the API schema with the given root value (no gateway, no subgraph):
 * what the execute stage drives. Started; stop it after the test.
 */
export async function apolloOver(
  rootValue: Record<string, unknown> = {},
): Promise<ApolloServer<RequestContext>> {
  const apollo = new ApolloServer<RequestContext>({ schema, rootValue, introspection: true });
  await apollo.start();
  return apollo;
}

/** The stages' dependencies from real parts; `overrides` replaces any of them, `env` the config's. */
export function pipelineDeps(
  overrides: Partial<PipelineDeps> = {},
  env: Record<string, string> = {},
): PipelineDeps {
  // Introspection and hints off, as outside development.
  const config = loadGatewayConfig({
    NODE_ENV: 'test',
    INTROSPECTION: 'false',
    FIELD_SUGGESTIONS: 'false',
    ...env,
  });
  const limits = createLimits(config.limits);
  return {
    config,
    apollo: undefined as unknown as ApolloServer<RequestContext>,
    authenticate: async () => anonymous,
    consumeQuota: createQuotas(undefined, pino({ level: 'silent' })),
    limits,
    operations: createOperationCache({ size: 100, limits }),
    resolveDocument: createDocumentResolver({ trusted: new Map(), apqCacheSize: 100 }),
    current: () => served,
    sensitiveTypes: new Set(config.audit.sensitiveTypes),
    ...overrides,
  };
}

export function requestState(req: IncomingMessage, extra: Partial<RequestState> = {}) {
  const state: RequestState = {
    req,
    requestId: 'r1',
    audit: {},
    method: req.method ?? 'GET',
    ...extra,
  };
  return state;
}

/** An operation as the operation stages receive it. */
export function operationState(raw: unknown, extra: Partial<OperationState> = {}): OperationState {
  return {
    req: request(),
    requestId: 'r1',
    audit: {},
    method: 'POST',
    identity: anonymous,
    internal: false,
    raw,
    startedAt: performance.now(),
    ...extra,
  };
}
