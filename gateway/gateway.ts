import { subgraphsDown } from './upstream/readiness.js';
import { buildASTSchema, parse, type GraphQLSchema } from 'graphql';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { createAuditLog, type AuditEntry } from './observability/audit.js';
import { createAuthenticator } from './auth/auth.js';
import { AuthDirectives } from './auth/authz.js';
import { CostModel } from './operations/cost.js';
import { registerJoinFields } from './operations/join-fields.js';
import { createApolloServer } from './apollo.js';
import type { GatewayConfig } from './config.js';
import { createGatewayServer, type RunningGateway } from './server.js';
import { KeyEchoes, SubgraphDataSource } from './upstream/datasource.js';
import {
  createDocumentResolver,
  loadTrustedDocuments,
  operationNames,
} from './operations/documents.js';
import { createEngine } from './engine/engine.js';
import { createPipeline } from './pipeline/pipeline.js';
import type { Reply } from './pipeline/reply.js';
import type { InternalRequest, ServedSchema } from './pipeline/types.js';
import { failureOf } from './http.js';
import { BodyBudget } from './body-budget.js';
import { FileKeyStore, type KeyStore } from './auth/keys.js';
import { RedisKeyStore } from './auth/redis-keys.js';
import { createLimits } from './operations/limits.js';
import { createKeyClaims } from './operations/key-claims.js';
import { createOperationCache } from './operations/operation-cache.js';
import { createQuotas } from './auth/quota.js';
import { createResponseCache } from './operations/response-cache.js';
import { subgraphsOf } from './engine/supergraph.js';
import { createGatewayMetrics } from './observability/metrics.js';
import { createSharedRedis } from './redis.js';
import { CSV_OPERATIONS } from './analyst/csv-operations.js';
import { createCsvExport } from './analyst/csv.js';
import { EXPORT_OPERATIONS } from './analyst/export-documents.js';
import { markFeedEnd } from './analyst/export-feed.js';
import { createVillageExports } from './analyst/exports.js';
import { readyExamples } from './analyst/examples.js';
import { createGraphiQL } from './analyst/graphiql.js';

export type { RunningGateway };

/**
 * The gateway: Apollo Server running the configured engine (engine.ts: @apollo/gateway or the Hive
 * router runtime) over the supergraph file (hot-reloaded), behind the request pipeline of
 * pipeline/, served at `/graphql` with `/healthz` and `/readyz`.
 * No I/O happens until `listen`.
 */
export function createGateway(config: GatewayConfig, logger: Logger) {
  const urlFor = (name: string, url: string | undefined) =>
    config.subgraphUrls[name as keyof GatewayConfig['subgraphUrls']] ?? url!;
  const subgraphs = subgraphsOf(readFileSync(config.supergraphPath, 'utf8')).map((s) => ({
    name: s.name,
    url: urlFor(s.name, s.url),
  }));
  // Bounded in time and never fatal: each use has its fallback (redis.ts).
  const shared = config.redisUrl ? createSharedRedis(config.redisUrl, logger) : undefined;
  const redis = shared?.client;
  const keys: KeyStore =
    config.keys.store === 'redis'
      ? new RedisKeyStore(redis!, undefined, config.keys.reloadMs, logger)
      : new FileKeyStore(config.keys.path, config.keys.reloadMs, logger);
  const audit = createAuditLog(config.audit.path, logger);
  const dataSources = new Map<string, SubgraphDataSource>();
  const keyEchoes = new KeyEchoes(config.fetchCacheBytes); // shared by the subgraphs' sources
  const trusted = loadTrustedDocuments(config.trustedDocumentsPath);
  // Prometheus metrics at /metrics; labels: registered operations, then callers (bounded).
  const known = [
    ...operationNames(trusted.values()),
    ...operationNames(Object.values(CSV_OPERATIONS).map((op) => op.document)),
    ...EXPORT_OPERATIONS,
  ];
  const metrics = createGatewayMetrics(
    subgraphs.map((s) => s.name),
    { known, anyCaller: config.development },
  );
  if (keys.stale) metrics.watchKeyStore(() => keys.stale?.());

  const responseCache = createResponseCache({
    mode: config.responseCache.mode,
    redis,
    maxBytes: config.responseCache.maxBytes,
    logger,
    recordCache: metrics.recordCache,
    subgraphs: () => subgraphs.map((s) => s.name),
  });

  const gateway = createEngine(config.engine, {
    supergraphPath: config.supergraphPath,
    watch: config.watchSupergraph,
    logger,
    onPlannerFallback: (first) => metrics.recordPlannerFallback(first),
    cacheBytes: config.documentCacheBytes,
    planTimeoutMs: config.planTimeoutMs,
    planCacheBytes: config.planCacheBytes,
    buildSource: ({ name, url }) => {
      const source = new SubgraphDataSource({
        subgraph: name,
        url: urlFor(name, url),
        policy: {
          timeoutMs: config.subgraphTimeoutMs,
          retries: config.retries,
          backoffMs: config.retryBackoffMs,
          breaker: config.breaker,
          sharedSecret: config.sharedSecret,
          dedupe: config.dedupeSubgraphFetches,
          maxSockets: config.subgraphMaxSockets,
          maxRequestBytes: config.subgraphMaxBodyBytes,
          maxResponseBytes: config.subgraphMaxResponseBytes,
          fetchCacheBytes: config.fetchCacheBytes,
        },
        keyEchoes,
        log: logger,
        observeFetch: metrics.observeFetch,
        onBreakerChange: (state) => metrics.setBreakerState(name, state),
        recordCache: metrics.recordCache,
        beginWrite: responseCache && ((name, ms) => responseCache.beginWrite(name, ms)),
        supergraph: () => supergraph,
      });
      dataSources.get(name)?.close(); // a reloaded supergraph builds new sources
      dataSources.set(name, source);
      return source;
    },
  });

  let served: ServedSchema | undefined;
  // The whole supergraph (@inaccessible parts too): the subgraphs' answers are checked against it.
  let supergraph: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    supergraph = buildASTSchema(parse(coreSupergraphSdl), { assumeValidSDL: true });
    registerJoinFields(apiSchema, supergraph);
    served = {
      schema: apiSchema,
      directives: AuthDirectives.fromSupergraph(coreSupergraphSdl),
      cost: CostModel.fromSupergraph(coreSupergraphSdl),
      // Cached answers of one supergraph are never served under another.
      version: createHash('sha256').update(coreSupergraphSdl).digest('hex').slice(0, 16),
    };
  });

  const limits = createLimits(config.limits);
  const operations = createOperationCache({
    size: config.documentCacheSize,
    maxBytes: config.documentCacheBytes,
    limits,
    recordCache: metrics.recordCache,
  });
  // Apollo Server takes the documents the pipeline validated from the operation cache.
  const apollo = createApolloServer(gateway, config, metrics, logger, operations.validated);

  // Analyst and frontend routes: GraphiQL (gateway/analyst/graphiql.ts) and CSV downloads (gateway/analyst/csv.ts).
  const graphiql = config.graphiql ? createGraphiQL({ examples: readyExamples() }) : undefined;
  const csv = createCsvExport({
    operations: CSV_OPERATIONS,
    // In process, as /graphql: the caller's credentials, quota, limits, metrics, audit (a page).
    execute: (req, requestId, body) => runAudited(req, requestId, { body }),
    maxRows: config.csvMaxRows,
    timeoutMs: config.csvTimeoutMs,
    callerOf: (req) => authenticate(req),
  });

  const authenticate = createAuthenticator(config, keys, metrics.recordLimitedAuthFailure);
  // One budget for every body read, /graphql's and the exports'; a caller holds an eighth of it.
  const inFlight = config.limits.maxBodyBytesInFlight;
  const perCaller = Math.max(config.limits.maxBodyBytes, Math.floor(inFlight / 8));
  const bodies = new BodyBudget(inFlight, metrics.recordRefusedBody, perCaller);
  // Partner bulk exports (gateway/analyst/exports.ts): pages through the same pipeline, as CSV does.
  const bulkExports = createVillageExports({
    // Export pages read the subgraphs, not the response cache, and hold export slots.
    execute: (req, requestId, body, fromTrusted) =>
      runAudited(req, requestId, { body, fromTrusted, uncached: true, ownSlots: true }),
    authenticate,
    trusted: trusted.values(),
    markFeedEnd: () => markFeedEnd(subgraphs, config.sharedSecret),
    settings: {
      ...config.exports,
      maxAliases: config.limits.maxAliases,
      maxBodyBytes: config.limits.maxBodyBytes,
    },
    bodies,
    logger,
  });

  const pipeline = createPipeline({
    config,
    apollo,
    authenticate,
    consumeQuota: createQuotas(redis, logger),
    limits,
    operations,
    resolveDocument: createDocumentResolver({
      trusted,
      apqCacheSize: config.apqCacheSize,
      apqMaxBytes: config.documentCacheBytes,
    }),
    current: () => served,
    responseCache,
    observeCachedAnswer: metrics.observeCachedAnswer,
    sensitiveTypes: new Set(config.audit.sensitiveTypes),
    claimKey: createKeyClaims(redis, logger),
    bodies,
  });

  /** One run of the pipeline with its audit line. */
  async function runAudited(
    req: IncomingMessage,
    requestId: string,
    internal?: InternalRequest,
  ): Promise<Reply> {
    const startedAt = performance.now();
    const entry: Partial<AuditEntry> = { requestId, caller: 'unknown', callerKind: 'unknown' };
    let status = 500;
    try {
      const reply = await pipeline(req, requestId, entry, internal);
      status = reply.status;
      entry.result =
        status >= 400
          ? ((JSON.parse(reply.body) as { errors?: { extensions?: { code?: string } }[] })
              .errors?.[0]?.extensions?.code ?? `HTTP_${status}`)
          : entry.errorCodes?.length
            ? 'partial'
            : 'ok';
      return reply;
    } catch (err) {
      const failure = failureOf(err); // a body too large or cut short by the client: 413, 499
      status = failure.status;
      entry.result = failure.result;
      throw err;
    } finally {
      audit.write({
        ...entry,
        status,
        durationMs: Math.round(performance.now() - startedAt),
      } as AuditEntry);
    }
  }

  const server = createGatewayServer({
    config,
    logger,
    graphql: (req, requestId) => runAudited(req, requestId),
    refusedConnection: metrics.recordRefusedConnection,
    routes: [
      ...(graphiql
        ? [
            {
              matches: (req: IncomingMessage, path: string) =>
                path === '/graphql' && graphiql.wantsPage(req),
              handle: (req: IncomingMessage, res: ServerResponse) => graphiql.servePage(req, res),
            },
            {
              matches: (_req: IncomingMessage, path: string) => graphiql.isAsset(path),
              handle: (req: IncomingMessage, res: ServerResponse, path: string) =>
                graphiql.serveAsset(req, res, path),
            },
          ]
        : []),
      {
        matches: (_req, path) => csv.matches(path),
        handle: (req, res, path, requestId) => csv.handle(req, res, path, requestId),
      },
      {
        matches: (_req, path) => bulkExports.matches(path),
        handle: (req, res, _path, requestId) => bulkExports.handle(req, res, requestId),
      },
    ],
    serveMetrics: (res) => metrics.serve(res),
    subgraphsDown: () => subgraphsDown(subgraphs, config.sharedSecret),
    // Redis down degrades (counts, cache, fresh keys) but does not stop this replica serving.
    // The keys source unreadable (a deleted keys file): the last keys read answer meanwhile.
    degraded: () => [
      ...(shared && !shared.ready() ? ['redis'] : []),
      ...(keys.stale?.() ? ['keys'] : []),
    ],
    start: async () => {
      // Waits a moment for Redis, never fails for it: it is picked up when it comes.
      if (shared) await shared.start();
      await apollo.start();
    },
    stop: async () => {
      await apollo.stop();
      for (const source of dataSources.values()) source.close();
      await keys.close();
      audit.close();
      shared?.stop();
    },
  });

  return {
    subgraphs,
    /** The data source of each subgraph (circuit breaker state), once the schema is loaded. */
    dataSources,
    metrics,
    listen: () => server.listen(),
  };
}
