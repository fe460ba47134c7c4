import { ApolloServer, HeaderMap, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_GATEWAY_MAX_BODY_BYTES, subgraphBodyLimit } from '../../contract/subgraphs.js';
import { cachePolicyPlugins } from './cache-policy.js';
import { BodyTooLargeError, readBody, sendJson } from './http-body.js';

import {
  IDENTITY_HEADER,
  verifyGatewayIdentity,
  type GatewayIdentity,
} from '../../contract/identity.js';
import type { Logger } from './logger.js';
import type { SubgraphMetrics } from './metrics.js';
import { requestErrors } from './request-errors.js';
import { withServerSpan } from './tracing.js';

/** Time for a request's headers to arrive, and for the whole request (not its answer). */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 60_000;

export interface RequestInfo {
  requestId: string;
  headers: IncomingMessage['headers'];
  /** The caller as signed by the gateway; undefined when the request did not come through it. */
  identity?: GatewayIdentity;
}

export interface SubgraphServerDeps<TContext extends BaseContext> {
  name: string;
  schema: GraphQLSchema;
  logger: Logger;
  /** Builds everything request-scoped: forked EntityManager, DataLoaders, identity. */
  createContext: (req: RequestInfo) => TContext | Promise<TContext>;
  /** Answers `/readyz`: resolves when the database answers. */
  ready: () => Promise<void>;
  /**
   * Largest accepted request body; subgraphBodyLimit() of the gateway's default MAX_BODY_BYTES
   * when unset (config.ts), so that no fetch of a request the gateway accepts is refused.
   */
  maxBodyBytes?: number;
  /** Verifies the gateway's signed identity header; unset = no request has an identity. */
  gatewaySharedSecret?: string;
  /** The secret before the current one, accepted too while it is being rotated. */
  gatewayPreviousSecret?: string;
  /**
   * Answer only requests that carry the gateway's signed identity (every fetch of the gateway
   * does): a GraphQL request without it is 401 UNAUTHENTICATED before it is parsed. Outside
   * development this is the default (config.ts), so a caller who reaches a subgraph's port
   * cannot read around the gateway's limits.
   */
  requireIdentity?: boolean;
  /** Prometheus metrics of this server, served at `/metrics`. */
  metrics?: SubgraphMetrics;
  /** Extra GET routes answering JSON (opt-in diagnostics such as `/debug/sql-count`). */
  debugRoutes?: Record<string, () => unknown>;
  /**
   * Cache hint (seconds) of root and object fields without one of their own: the answer's
   * `Cache-Control`, which the gateway's response cache honours. 0 or unset: not cacheable.
   */
  cacheMaxAge?: number;
  /**
   * Resolvers set cache hints of their own (`info.cacheControl.setCacheHint`): Apollo's per-field
   * plugin then combines them. Unset: the policy comes from the operation (cache-policy.ts), as
   * for every product subgraph; `@cacheControl` in the schema is detected by itself.
   */
  resolversSetCacheHints?: boolean;
}

const REQUEST_ID = /^[\w-]{1,64}$/;

/**
 * The `Accept` of every gateway fetch. Apollo Server answers it exactly as a request without
 * `Accept` (`application/json; charset=utf-8`, no incremental delivery), but parses it with a new
 * Negotiator twice per request to find that out; it is not passed on, so Apollo takes its
 * shortcut for a missing header. Any other `Accept` is passed on as sent.
 */
const PLAIN_JSON = 'application/json';

export interface RunningServer {
  url: string;
  port: number;
  close: () => Promise<void>;
}

/** `/readyz` answers 503 when the database has not answered within this. */
export const READY_TIMEOUT_MS = 2_000;
/** On close, in-flight requests get this long before their connections are cut. */
export const CLOSE_GRACE_MS = 10_000;

/** The promise, or a rejection after `ms` (a plain timer, cleared when the promise settles). */
function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * A subgraph's HTTP server: `/graphql` (Apollo Server), `/healthz`, `/readyz`. Unexpected
 * errors are logged with the request id and masked before they leave the process.
 */
export function createSubgraphServer<TContext extends BaseContext>(
  deps: SubgraphServerDeps<TContext>,
) {
  const { logger } = deps;
  const maxBody = deps.maxBodyBytes ?? subgraphBodyLimit(DEFAULT_GATEWAY_MAX_BODY_BYTES);
  const requestErrorLog = requestErrors(logger);
  const apollo = new ApolloServer<TContext>({
    schema: deps.schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // runSubgraph handles SIGTERM/SIGINT itself; Apollo's own handler would race it and hang.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ...cachePolicyPlugins(deps.schema, deps.cacheMaxAge ?? 0, deps.resolversSetCacheHints),
      ...(deps.metrics ? [deps.metrics.plugin] : []),
      requestErrorLog.plugin,
    ],
    formatError: requestErrorLog.formatError,
  });

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, requestId: string) {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value === undefined || (key === 'accept' && value === PLAIN_JSON)) continue;
      headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    // The identity before the body: a caller without it is refused unread, so it cannot make
    // this process hold bodies of up to the body limit (connections are not limited here).
    const identity = verifyGatewayIdentity(req.headers[IDENTITY_HEADER], [
      deps.gatewaySharedSecret,
      deps.gatewayPreviousSecret,
    ]);
    if (deps.requireIdentity && !identity) {
      res.setHeader('connection', 'close');
      req.resume(); // what has arrived is read and dropped, so the answer is not cut by a reset
      sendJson(res, 401, {
        errors: [
          {
            message: 'This service answers its gateway only.',
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://subgraph');
    let body: unknown = undefined;
    if (req.method === 'POST') {
      const text = await readBody(req, maxBody);
      try {
        body = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        sendJson(res, 400, {
          errors: [{ message: 'Malformed JSON body', extensions: { code: 'BAD_REQUEST' } }],
        });
        return;
      }
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => {
        try {
          const context = await deps.createContext({ requestId, headers: req.headers, identity });
          return requestErrorLog.bind(context, requestId);
        } catch (err) {
          requestErrorLog.noteError(err, requestId);
          throw err;
        }
      },
    });
    for (const [key, value] of result.headers) res.setHeader(key, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const incoming = req.headers['x-request-id'];
    const requestId =
      typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (path === '/readyz') {
        try {
          await withinMs(deps.ready(), READY_TIMEOUT_MS);
          return sendJson(res, 200, { status: 'ready' });
        } catch (err) {
          logger.warn({ err }, 'readiness check failed');
          return sendJson(res, 503, { status: 'unavailable' });
        }
      }
      const debugRoute = req.method === 'GET' ? deps.debugRoutes?.[path] : undefined;
      if (debugRoute) return sendJson(res, 200, debugRoute());
      if (path === '/metrics' && deps.metrics) return await deps.metrics.serve(res);
      if (path === '/graphql' || path === '/') {
        return await withServerSpan(
          req,
          res,
          { 'service.subgraph': deps.name, 'request.id': requestId },
          () => handleGraphQL(req, res, requestId),
        );
      }
      sendJson(res, 404, { error: 'not found' });
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        // Not kept alive: if the body could not be read to its end (too long, too slow), the
        // socket is closed once the answer is out (Node destroys it after `Connection: close`).
        res.setHeader('connection', 'close');
        return sendJson(res, 413, {
          errors: [
            { message: 'Request body too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } },
          ],
        });
      }
      logger.error({ err, requestId }, 'request failed');
      if (!res.headersSent)
        sendJson(res, 500, {
          errors: [
            {
              message: 'Internal server error',
              extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
            },
          ],
        });
      else res.end();
    }
  }

  let server: Server | undefined;
  return {
    apollo,
    /** Starts Apollo Server and listens; port 0 picks a free port (tests). */
    async listen(port: number, host = '127.0.0.1'): Promise<RunningServer> {
      await apollo.start();
      // Timeouts checked every 2 s: a connection whose headers or body never finish is cut in
      // bounded time (Node's defaults: 60 s for headers, 300 s for the request), as the gateway's.
      server = createServer(
        { connectionsCheckingInterval: 2_000 },
        (req, res) => void handle(req, res),
      );
      server.keepAliveTimeout = 65_000;
      server.headersTimeout = HEADERS_TIMEOUT_MS;
      server.requestTimeout = REQUEST_TIMEOUT_MS;
      await new Promise<void>((resolve) => server!.listen(port, host, resolve));
      const actual = (server.address() as AddressInfo).port;
      const url = `http://${host}:${actual}/graphql`;
      logger.info({ url }, `${deps.name} subgraph listening`);
      let closing: Promise<void> | undefined;
      return {
        url,
        port: actual,
        // Idempotent: tests stop a subgraph mid-run to watch the gateway degrade.
        // A keep-alive connection that goes idle after close() began is closed at once too, and
        // whatever is still open after CLOSE_GRACE_MS (a request stuck on a hung database) is cut.
        close: () =>
          (closing ??= (async () => {
            const idle = setInterval(() => server!.closeIdleConnections(), 100);
            const cut = setTimeout(() => server!.closeAllConnections(), CLOSE_GRACE_MS);
            await new Promise<void>((resolve) => {
              server!.close(() => resolve());
              server!.closeIdleConnections();
            });
            clearInterval(idle);
            clearTimeout(cut);
            await apollo.stop();
          })()),
      };
    },
  };
}
