import { Redis, type Command } from 'ioredis';
import type { Logger } from 'pino';

/**
 * The gateway's one Redis client (quotas, API keys, response cache, Idempotency-Key claims),
 * built so that Redis can never hold up or fail a request: every use has a fallback (quotas
 * allow, the cache misses, keys answer from the last set loaded, claims go on unclaimed), so a
 * command must fail fast rather than wait.
 *
 * - a command waits at most `commandTimeoutMs` for its answer, judged after the event loop has
 *   read its I/O: an answer that came in while the loop was held counts;
 * - no offline queue: while the connection is down a command fails at once, nothing piles up;
 * - no retry of a command; the connection itself is retried for ever, backing off to 2 s;
 * - a hung server (SIGSTOP, a dead host whose socket stays open) keeps the connection "ready":
 *   the first command that times out drops it, so the commands after it fail at once until the
 *   server answers a new connection's ready check again;
 * - trouble is logged when it starts and then at most every `logEveryMs`.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 300;

export interface SharedRedis {
  client: Redis;
  /** Connects in the background: the gateway serves without Redis and picks it up when it comes. */
  start(waitMs?: number): Promise<void>;
  /** Whether commands can be sent now (for the operator's /readyz detail). */
  ready(): boolean;
  stop(): void;
}

const TIMED_OUT = 'Command timed out';

class GatewayRedis extends Redis {
  onTimeout: () => void = () => {};
  /** How long a command may wait for its answer (ioredis' own `commandTimeout` is not used). */
  commandTimeoutMs = REDIS_COMMAND_TIMEOUT_MS;

  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    const sent = super.sendCommand(command, stream);
    // Judged only once this turn of the event loop has read its I/O: ioredis' timer alone, firing
    // late after the loop was held (a long task, a loaded machine), failed answers that had come
    // in meanwhile, dropped the connection and, with it, every answer the response cache held.
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          if (!command.isSettled) command.reject(new Error(TIMED_OUT));
        }),
      this.commandTimeoutMs,
    );
    const settled = () => clearTimeout(timer);
    command.promise.then(settled, settled);
    command.promise.catch((err: unknown) => {
      if (err instanceof Error && err.message === TIMED_OUT) this.onTimeout();
    });
    return sent;
  }
}

export function createSharedRedis(
  url: string,
  logger: Logger,
  opts: { commandTimeoutMs?: number; logEveryMs?: number } = {},
): SharedRedis {
  const client = new GatewayRedis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 100, 2_000),
  });
  client.commandTimeoutMs = opts.commandTimeoutMs ?? REDIS_COMMAND_TIMEOUT_MS;
  const warn = occasionally(logger, opts.logEveryMs);
  let troubled = false;
  client.on('error', (err: Error) => {
    troubled = true;
    warn({ err: { message: err.message } }, 'redis unavailable; requests go on without it');
  });
  client.onTimeout = () => {
    troubled = true;
    warn({ url: redact(url) }, 'redis command timed out; reconnecting');
    if (client.status === 'ready' || client.status === 'connect') client.stream?.destroy();
  };
  client.on('ready', () => {
    if (troubled) logger.info('redis available again');
    troubled = false;
  });
  let stopped = false;
  return {
    client,
    async start(waitMs = 2_000) {
      const connected = client.connect().catch(() => {
        // retried by the client (retryStrategy); logged by the 'error' listener
      });
      await Promise.race([connected, new Promise((r) => setTimeout(r, waitMs).unref())]);
    },
    ready: () => client.status === 'ready' && client.stream?.destroyed === false,
    stop() {
      if (stopped) return;
      stopped = true;
      client.disconnect();
    },
  };
}

/** A warning logged the first time and then at most once every `everyMs` (repeats counted). */
export function occasionally(logger: Logger, everyMs = 30_000) {
  let last = -Infinity;
  let skipped = 0;
  return (fields: Record<string, unknown>, message: string) => {
    const now = Date.now();
    if (now - last < everyMs) {
      skipped += 1;
      return;
    }
    logger.warn({ ...fields, ...(skipped ? { repeated: skipped } : {}) }, message);
    last = now;
    skipped = 0;
  };
}

const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');
