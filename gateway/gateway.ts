import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { Kind, parse } from 'graphql';
import { Redis } from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createAuditLog, type AuditEntry } from './audit.js';
import { createAuthenticator } from './auth.js';
import { AuthDirectives } from './authz.js';
import { CostModel } from './cost.js';
import type { GatewayConfig } from './config.js';
import { SubgraphDataSource } from './upstream/datasource.js';
import { createDocumentResolver, loadTrustedDocuments } from './documents.js';
import { createEngine } from './engine.js';
import { clientErrorPaths } from './error-paths.js';
import { formatGatewayError } from './errors.js';
import { createPipeline } from './pipeline/pipeline.js';
import type { Reply } from './pipeline/reply.js';
import type { RequestContext, ServedSchema } from './pipeline/types.js';
import { applyCors, BodyTooLargeError, encodeBody, errorBody, sendJson } from './http.js';
import { FileKeyStore, RedisKeyStore, type KeyStore } from './keys.js';
import { createLimits } from './limits.js';
import { createDocumentStore, createOperationCache } from './operation-cache.js';
import { createQuotas } from './quota.js';
import { createResponseCache } from './response-cache.js';
import { subgraphsOf } from './supergraph.js';
import { createGatewayMetrics } from './metrics.js';
import { traceRequests } from './tracing.js';
import { CSV_OPERATIONS } from './csv-operations.js';
import { createCsvExport } from './csv.js';
import { EXPORT_OPERATIONS } from './export-documents.js';
import { createVillageExports } from './exports.js';
import { readyExamples } from './examples.js';
import { createGraphiQL } from './graphiql.js';

export interface RunningGateway {
  url: string;
  port: number;
  /** The operator listener's port (/metrics, /readyz with detail), when it has one. */
  operatorPort?: number;
  /** Stops accepting, lets in-flight requests finish (bounded), then releases everything. */
  close: () => Promise<void>;
}

/**
 * The gateway: Apollo Server running the configured engine (engine.ts: @apollo/gateway or the
 * Hive router runtime) over the supergraph file (hot-reloaded),
 * behind the request pipeline of pipeline/, served at `/graphql` with `/healthz` and `/readyz`.
 * No I/O happens until `listen`.
 */
export function createGateway(config: GatewayConfig, logger: Logger) {
  const urlFor = (name: string, url: string | undefined) =>
    config.subgraphUrls[name as keyof GatewayConfig['subgraphUrls']] ?? url!;
  const subgraphs = subgraphsOf(readFileSync(config.supergraphPath, 'utf8')).map((s) => ({
    name: s.name,
    url: urlFor(s.name, s.url),
  }));
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
    : undefined;
  const keys: KeyStore =
    config.keys.store === 'redis'
      ? new RedisKeyStore(redis!, undefined, config.keys.reloadMs)
      : new FileKeyStore(config.keys.path, config.keys.reloadMs);
  const audit = createAuditLog(config.audit.path, logger);
  const dataSources = new Map<string, SubgraphDataSource>();
  const trusted = loadTrustedDocuments(config.trustedDocumentsPath);
  // Observability: Prometheus metrics at /metrics (see metrics.ts for what other parts report).
  // Operation labels: registered operations, then names of authenticated callers (bounded).
  const metrics = createGatewayMetrics(
    subgraphs.map((s) => s.name),
    {
      known: [...operationNames(trusted.values()), ...csvOperationNames(), ...EXPORT_OPERATIONS],
      anyCaller: config.development,
    },
  );

  const gateway = createEngine(config.engine, {
    supergraphPath: config.supergraphPath,
    watch: config.watchSupergraph,
    logger,
    onPlannerFallback: (first) => metrics.recordPlannerFallback(first),
    cacheBytes: config.documentCacheBytes,
    planTimeoutMs: config.planTimeoutMs,
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
        },
        log: logger,
        observeFetch: metrics.observeFetch,
        onBreakerChange: (state) => metrics.setBreakerState(name, state),
        recordCache: metrics.recordCache,
      });
      dataSources.get(name)?.close(); // a reloaded supergraph builds new sources
      dataSources.set(name, source);
      return source;
    },
  });

  let served: ServedSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    served = {
      schema: apiSchema,
      directives: AuthDirectives.fromSupergraph(coreSupergraphSdl),
      cost: CostModel.fromSupergraph(coreSupergraphSdl),
      // Cached answers of one supergraph are never served under another.
      version: createHash('sha256').update(coreSupergraphSdl).digest('hex').slice(0, 16),
    };
  });

  const apollo = new ApolloServer<RequestContext>({
    gateway,
    // Introspection and suggestions are decided per caller by the pipeline (pipeline/document.ts, pipeline/authorization.ts).
    introspection: true,
    hideSchemaDetailsFromClientErrors: true,
    includeStacktraceInErrorResponses: false,
    // main.ts handles SIGTERM/SIGINT (drain, then exit); Apollo's own handler would race it.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    persistedQueries: false,
    // Bounded by memory, not by its default (which weighs a 1 MB document as a few bytes).
    documentStore: createDocumentStore(config.documentCacheBytes),
    allowBatchedHttpRequests: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      metrics.plugin,
      {
        async requestDidStart() {
          return {
            async willSendResponse({ response, contextValue, document, operationName }) {
              if (response.body.kind !== 'single') return;
              const result = response.body.singleResult;
              // Only paths of the client's operation (error-paths.ts).
              if (result.errors) {
                result.errors = clientErrorPaths(result.errors, document, operationName);
              }
              contextValue.errorCodes = (response.body.singleResult.errors ?? []).map((e) =>
                String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
              );
            },
          };
        },
      },
    ],
    formatError: (formatted, error) => {
      const { error: out, masked } = formatGatewayError(formatted, undefined);
      if (masked) logger.error({ err: error, path: formatted.path }, 'masked error');
      return out;
    },
  });

  // Analyst and frontend routes: GraphiQL (gateway/graphiql.ts) and CSV downloads (gateway/csv.ts).
  const graphiql = config.graphiql ? createGraphiQL({ examples: readyExamples() }) : undefined;
  const csv = createCsvExport({
    operations: CSV_OPERATIONS,
    // In process, through the same pipeline as /graphql: the caller's credentials, quota,
    // limits, metrics and audit line (one per page).
    execute: (req, requestId, body) => runAudited(req, requestId, { body }),
    maxRows: config.csvMaxRows,
  });

  const authenticate = createAuthenticator(config, keys);
  // Partner bulk exports (gateway/exports.ts): pages through the same pipeline, as CSV does.
  const bulkExports = createVillageExports({
    execute: (req, requestId, body, fromTrusted) =>
      runAudited(req, requestId, { body, fromTrusted }),
    authenticate,
    trusted: trusted.values(),
    settings: {
      ...config.exports,
      maxAliases: config.limits.maxAliases,
      maxBodyBytes: config.limits.maxBodyBytes,
    },
    logger,
  });

  const limits = createLimits(config.limits);
  const pipeline = createPipeline({
    config,
    apollo,
    authenticate,
    consumeQuota: createQuotas(redis, logger),
    limits,
    operations: createOperationCache({
      size: config.documentCacheSize,
      maxBytes: config.documentCacheBytes,
      limits,
      recordCache: metrics.recordCache,
    }),
    resolveDocument: createDocumentResolver({
      trusted,
      apqCacheSize: config.apqCacheSize,
      apqMaxBytes: config.documentCacheBytes,
    }),
    current: () => served,
    responseCache: createResponseCache({
      mode: config.responseCache.mode,
      redis,
      maxBytes: config.responseCache.maxBytes,
      logger,
      recordCache: metrics.recordCache,
    }),
    observeCachedAnswer: metrics.observeCachedAnswer,
    sensitiveTypes: new Set(config.audit.sensitiveTypes),
  });

  async function subgraphsReady(): Promise<string[]> {
    const down: string[] = [];
    await Promise.all(
      subgraphs.map(async (s) => {
        try {
          const res = await fetch(s.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ __typename }' }),
            signal: AbortSignal.timeout(2_000),
          });
          if (!res.ok) down.push(s.name);
          await res.arrayBuffer();
        } catch {
          down.push(s.name);
        }
      }),
    );
    return down;
  }

  /** One run of the pipeline with its audit line. */
  async function runAudited(
    req: IncomingMessage,
    requestId: string,
    internal?: { body: Record<string, unknown>; fromTrusted?: boolean },
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
      status = err instanceof BodyTooLargeError ? 413 : 500;
      entry.result = status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INTERNAL_SERVER_ERROR';
      throw err;
    } finally {
      audit.write({
        ...entry,
        status,
        durationMs: Math.round(performance.now() - startedAt),
      } as AuditEntry);
    }
  }

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, requestId: string) {
    const reply = await runAudited(req, requestId);
    for (const [key, value] of Object.entries(reply.headers)) res.setHeader(key, value);
    res.statusCode = reply.status;
    const out = encodeBody(reply.body, req.headers['accept-encoding'], config.compressionMinBytes);
    if (config.compressionMinBytes > 0) res.appendHeader('vary', 'Accept-Encoding');
    if (out.encoding) res.setHeader('content-encoding', out.encoding);
    res.end(out.body);
  }

  /** Whether the gateway can answer: the names of what is not ready (empty: ready). */
  // One probe of the subgraphs serves every /readyz of the next second: a stranger polling the
  // public /readyz cannot multiply requests to the subgraphs.
  let probe: { at: number; down: Promise<string[]> } | undefined;
  async function unavailable(): Promise<string[]> {
    if (draining) return ['gateway'];
    if (!started) return ['supergraph'];
    const now = Date.now();
    if (!probe || now - probe.at > 1_000) probe = { at: now, down: subgraphsReady() };
    return probe.down;
  }

  /** The operator's endpoints: metrics and readiness with the names of what is unavailable. */
  async function handleOperator(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (path === '/metrics') return await metrics.serve(res);
      if (path === '/readyz') {
        const down = await unavailable();
        return sendJson(res, down.length ? 503 : 200, {
          status: down.length ? 'unavailable' : 'ready',
          ...(down.length ? { unavailable: down } : {}),
        });
      }
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      sendJson(res, 404, errorBody('Not found: /metrics, /readyz, /healthz.', 'NOT_FOUND'));
    } catch (err) {
      logger.error({ err }, 'operator request failed');
      if (!res.headersSent)
        sendJson(res, 500, errorBody('Internal server error', 'INTERNAL_SERVER_ERROR'));
      else res.end();
    }
  }

  let started = false;
  let draining = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  async function handle(req: IncomingMessage, res: ServerResponse) {
    inFlight += 1;
    const incoming = req.headers['x-request-id'];
    const requestId =
      typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (draining) res.setHeader('connection', 'close');
      if (!wellFormed(req.url ?? '/')) {
        return sendJson(res, 400, errorBody('Malformed URL.', 'BAD_REQUEST'));
      }
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      // In development the operator's endpoints are served here too; otherwise on their own
      // listener, and /readyz here says only whether this replica takes traffic.
      if (!config.operator && (path === '/readyz' || path === '/metrics')) {
        return await handleOperator(req, res);
      }
      if (path === '/readyz') {
        const ready = (await unavailable()).length === 0;
        return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable' });
      }
      if (path === '/graphql' && graphiql?.wantsPage(req))
        return await graphiql.servePage(req, res);
      if (graphiql?.isAsset(path)) return await graphiql.serveAsset(req, res, path);
      if (csv.matches(path)) return await csv.handle(req, res, path, requestId);
      if (bulkExports.matches(path)) return await bulkExports.handle(req, res, requestId);
      if (path === '/graphql') {
        if (applyCors(req, res, config.corsOrigins)) return;
        return await handleGraphQL(req, res, requestId);
      }
      sendJson(res, 404, errorBody('Not found. The GraphQL endpoint is /graphql.', 'NOT_FOUND'));
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        res.setHeader('connection', 'close'); // do not read the rest of a huge body
        return sendJson(res, 413, errorBody('Request body too large.', 'PAYLOAD_TOO_LARGE'));
      }
      logger.error({ err, requestId }, 'request failed');
      if (!res.headersSent)
        sendJson(
          res,
          500,
          errorBody('Internal server error', 'INTERNAL_SERVER_ERROR', { requestId }),
        );
      else res.end();
    } finally {
      inFlight -= 1;
      if (draining && inFlight === 0) drained?.();
    }
  }

  let server: Server | undefined;
  let operatorServer: Server | undefined;
  return {
    subgraphs,
    /** The data source of each subgraph (circuit breaker state), once the schema is loaded. */
    dataSources,
    metrics,
    async listen(): Promise<RunningGateway> {
      if (redis) await redis.connect();
      await apollo.start();
      started = true;
      server = createServer(traceRequests((req, res) => void handle(req, res)));
      server.keepAliveTimeout = 65_000;
      server.requestTimeout = 60_000;
      await new Promise<void>((resolve) => server!.listen(config.port, config.host, resolve));
      const port = (server.address() as AddressInfo).port;
      let operatorPort: number | undefined;
      if (config.operator) {
        const { port: opPort, host: opHost } = config.operator;
        operatorServer = createServer((req, res) => void handleOperator(req, res));
        await new Promise<void>((resolve, reject) => {
          operatorServer!.once('error', reject);
          operatorServer!.listen(opPort, opHost, resolve);
        });
        operatorPort = (operatorServer.address() as AddressInfo).port;
        logger.info({ host: opHost, port: operatorPort }, 'operator endpoints: /metrics, /readyz');
      }
      const url = `http://localhost:${port}/graphql`;
      return {
        url,
        port,
        operatorPort,
        close: async () => {
          draining = true;
          const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
          server!.closeIdleConnections();
          if (inFlight > 0) {
            await Promise.race([
              new Promise<void>((resolve) => (drained = resolve)),
              new Promise((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref()),
            ]);
          }
          server!.closeAllConnections();
          await closed;
          if (operatorServer) {
            operatorServer.closeAllConnections();
            await new Promise<void>((resolve) => operatorServer!.close(() => resolve()));
          }
          await apollo.stop();
          for (const source of dataSources.values()) source.close();
          await keys.close();
          audit.close();
          if (redis) redis.disconnect();
        },
      };
    },
  };
}

/** A request target whose percent-escapes all decode (else every route would trip on it). */
function wellFormed(target: string): boolean {
  try {
    decodeURIComponent(target);
    return true;
  } catch {
    return false;
  }
}

/** The operation names of registered documents (labelled in metrics). */
function operationNames(documents: Iterable<string>): string[] {
  const names: string[] = [];
  for (const text of documents) {
    try {
      for (const d of parse(text).definitions) {
        if (d.kind === Kind.OPERATION_DEFINITION && d.name) names.push(d.name.value);
      }
    } catch {
      // an unparsable document is refused when run; it names nothing here
    }
  }
  return names;
}

function csvOperationNames(): string[] {
  return operationNames(Object.values(CSV_OPERATIONS).map((op) => op.document));
}
