import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config.js';
import { BODIES_BUSY_RETRY_AFTER_S, BodiesBusyError } from './body-budget.js';
import { limitConnections } from './connections.js';
import { answerClientErrors } from './client-errors.js';
import { occasionally } from './redis.js';
import {
  applyCors,
  BodyAbortedError,
  BodyTooLargeError,
  encodeBody,
  errorBody,
  sendJson,
} from './http.js';
import { startLiveness, type Liveness } from './observability/liveness.js';
import { traceRequests } from './observability/tracing.js';
import { subgraphReadiness } from './upstream/readiness.js';
import type { Reply } from './pipeline/reply.js';

export interface RunningGateway {
  url: string;
  port: number;
  /** The operator listener's port (/metrics, /readyz with detail), when it has one. */
  operatorPort?: number;
  /** The liveness listener's port (observability/liveness.ts), when it has one. */
  livenessPort?: number;
  /** The liveness listener itself (its state; fault tests kill its worker). */
  liveness?: Liveness;
  /** Stops accepting, lets in-flight requests finish (bounded), then releases everything. */
  close: () => Promise<void>;
}

/** A route of its own (GraphiQL, CSV, exports): whether it takes a path, and how it answers. */
export interface Route {
  matches(req: IncomingMessage, path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, path: string, requestId: string): Promise<void>;
}

export interface ServerParts {
  config: GatewayConfig;
  logger: Logger;
  /** `/graphql`: one audited run of the pipeline. */
  graphql: (req: IncomingMessage, requestId: string) => Promise<Reply>;
  /** Routes tried, in order, before `/graphql`. */
  routes: Route[];
  /** Prometheus text at /metrics. */
  serveMetrics: (res: ServerResponse) => Promise<void>;
  /** The subgraphs that do not answer `{ __typename }` now (upstream/readiness.ts). */
  subgraphsDown: () => Promise<string[]>;
  /** A client connection closed on arrival: too many in all, or from one address. */
  refusedConnection?: (reason: 'total' | 'address') => void;
  /** What works less well now but does not stop this replica serving (e.g. `redis`). */
  degraded?: () => string[];
  /** Before listening (Redis, Apollo Server) and after the listeners close (everything else). */
  start: () => Promise<void>;
  stop: () => Promise<void>;
}

/** A request target whose percent-escapes all decode (else every route would trip on it). */
export function wellFormed(target: string): boolean {
  try {
    decodeURIComponent(target);
    return true;
  } catch {
    return false;
  }
}

/**
 * The gateway's HTTP side: `/graphql`, `/healthz`, `/readyz`, the operator listener
 * (`/metrics`, `/readyz` with the names of what is unavailable) and the other routes; request
 * ids; drain on close. Nothing listens until `listen`.
 */
export function createGatewayServer(parts: ServerParts) {
  const { config, logger } = parts;
  const refusedWarning = occasionally(logger); // not a line per refused connection
  const bodiesWarning = occasionally(logger); // nor per refused body
  let started = false;
  let draining = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  let liveness: Liveness | undefined;
  /** `/healthz` from the main loop: it turns; and, when not `up`, the liveness listener's state. */
  const health = () => {
    const listener = liveness?.state();
    return { status: 'ok', ...(listener && listener !== 'up' ? { liveness: listener } : {}) };
  };

  const subgraphs = subgraphReadiness(parts.subgraphsDown, config.readinessWaitMs);
  /**
   * Whether this replica takes traffic: `unavailable` names what stops it (empty: ready),
   * `degraded` what works less well meanwhile (Redis, a subgraph down once every one was up).
   */
  async function readiness(): Promise<{ unavailable: string[]; degraded: string[] }> {
    const degraded = [...(parts.degraded?.() ?? [])];
    if (liveness && liveness.state() !== 'up') degraded.push('liveness');
    if (draining) return { unavailable: ['gateway'], degraded };
    if (!started) return { unavailable: ['supergraph'], degraded };
    const { waiting, down } = await subgraphs.check();
    return waiting
      ? { unavailable: down, degraded }
      : { unavailable: [], degraded: [...degraded, ...down] };
  }

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, requestId: string) {
    const reply = await parts.graphql(req, requestId);
    for (const [key, value] of Object.entries(reply.headers)) {
      if (key === 'vary')
        res.appendHeader(key, value); // beside CORS's `Origin`
      else res.setHeader(key, value);
    }
    res.statusCode = reply.status;
    const out = encodeBody(reply.body, req.headers['accept-encoding'], config.compressionMinBytes);
    if (config.compressionMinBytes > 0) res.appendHeader('vary', 'Accept-Encoding');
    if (out.encoding) res.setHeader('content-encoding', out.encoding);
    res.end(out.body);
  }

  /** The operator's endpoints: metrics and readiness with the names of what is unavailable. */
  async function handleOperator(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (path === '/metrics') return await parts.serveMetrics(res);
      if (path === '/readyz') {
        const { unavailable: down, degraded } = await readiness();
        return sendJson(res, down.length ? 503 : 200, {
          status: down.length ? 'unavailable' : 'ready',
          ...(down.length ? { unavailable: down } : {}),
          ...(degraded.length ? { degraded } : {}),
        });
      }
      if (path === '/healthz') return sendJson(res, 200, health());
      sendJson(res, 404, errorBody('Not found: /metrics, /readyz, /healthz.', 'NOT_FOUND'));
    } catch (err) {
      logger.error({ err }, 'operator request failed');
      if (!res.headersSent)
        sendJson(res, 500, errorBody('Internal server error', 'INTERNAL_SERVER_ERROR'));
      else res.end();
    }
  }

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
      if (path === '/healthz') return sendJson(res, 200, health());
      // In development the operator's endpoints are served here too; otherwise on their own
      // listener, and /readyz here says only whether this replica takes traffic.
      if (!config.operator && (path === '/readyz' || path === '/metrics')) {
        return await handleOperator(req, res);
      }
      if (path === '/readyz') {
        const ready = (await readiness()).unavailable.length === 0;
        return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable' });
      }
      const route = parts.routes.find((r) => r.matches(req, path));
      if (route) return await route.handle(req, res, path, requestId);
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
      if (err instanceof BodiesBusyError) {
        // MAX_BODY_BYTES_IN_FLIGHT spent: refused unread, and the connection closed (not 503:
        // the request may be valid, and the gateway answers no valid request with a 5xx).
        res.setHeader('connection', 'close');
        bodiesWarning({ path }, 'request body refused: MAX_BODY_BYTES_IN_FLIGHT in use');
        const message = 'The gateway is reading as many request bodies as it holds; retry shortly.';
        return sendJson(res, 429, errorBody(message, 'BODIES_BUSY'), {
          'retry-after': String(BODIES_BUSY_RETRY_AFTER_S),
        });
      }
      if (err instanceof BodyAbortedError) {
        // The client closed the request mid-body (or Node's requestTimeout cut it and answered
        // 408 itself): a client event, not a failure. Nothing ran; nothing is written back.
        res.statusCode = 499;
        logger.info({ requestId, path }, 'request body cut short by the client');
        return void res.destroy();
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

  async function listenOperator(): Promise<Server | undefined> {
    if (!config.operator) return undefined;
    const { port, host } = config.operator;
    const server = createServer((req, res) => void handleOperator(req, res));
    answerClientErrors(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    const bound = (server.address() as AddressInfo).port;
    logger.info({ host, port: bound }, 'operator endpoints: /metrics, /readyz');
    return server;
  }

  return {
    async listen(): Promise<RunningGateway> {
      await parts.start();
      started = true;
      subgraphs.start();
      // Timeouts checked every 2 s (Node's default, 30 s, let a silent socket live 40 s).
      const server = createServer(
        { connectionsCheckingInterval: 2_000 },
        traceRequests((req, res) => void handle(req, res)),
      );
      answerClientErrors(server);
      server.keepAliveTimeout = 65_000;
      server.requestTimeout = 60_000;
      limitConnections(server, config.connections, config.trustProxy, (reason) => {
        parts.refusedConnection?.(reason);
        refusedWarning(
          { reason, limits: config.connections },
          'client connection refused: too many',
        );
      });
      await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
      const port = (server.address() as AddressInfo).port;
      const operatorServer = await listenOperator();
      liveness = config.liveness
        ? await startLiveness({
            ...config.liveness,
            onError: (err) => logger.error({ err }, 'liveness listener failed'),
          })
        : undefined;
      if (liveness) logger.info({ port: liveness.port }, 'liveness endpoint: /healthz');
      return {
        url: `http://localhost:${port}/graphql`,
        port,
        operatorPort: operatorServer ? (operatorServer.address() as AddressInfo).port : undefined,
        livenessPort: liveness ? liveness.port : undefined,
        liveness,
        close: async () => {
          draining = true;
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeIdleConnections();
          if (inFlight > 0) {
            await Promise.race([
              new Promise<void>((resolve) => (drained = resolve)),
              new Promise((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref()),
            ]);
          }
          server.closeAllConnections();
          await closed;
          if (operatorServer) {
            operatorServer.closeAllConnections();
            await new Promise<void>((resolve) => operatorServer.close(() => resolve()));
          }
          await liveness?.close();
          await parts.stop();
        },
      };
    },
  };
}
