import { pino } from 'pino';
import { loadGatewayConfig } from './config.js';
import { createGateway } from './gateway.js';
import { startTracing } from './observability/tracing.js';

const config = loadGatewayConfig();
// The Rust runtime's logger (@graphql-hive/logger) reads LOG_LEVEL itself and throws on the
// levels pino has and it lacks, failing every subgraph fetch: it gets the nearest one it knows.
if (config.logLevel === 'fatal' || config.logLevel === 'silent') process.env.LOG_LEVEL = 'error';
// JSON lines to stdout, written in 4 KB chunks unless LOG_SYNC=true: one write(2) per log line
// (the audit line of every request included) costs more than answering a cached request.
const destination = config.prettyLogs
  ? undefined
  : pino.destination({ dest: 1, sync: config.logSync, minLength: config.logSync ? 0 : 4096 });
const logger = config.prettyLogs
  ? pino({
      name: 'gateway',
      level: config.logLevel,
      transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } },
    })
  : pino({ name: 'gateway', level: config.logLevel }, destination);
const flushLogs = () => {
  try {
    destination?.flushSync();
  } catch {
    // nothing buffered, or stdout is gone
  }
};
process.on('exit', flushLogs);
// A quiet gateway's lines do not wait for 4 KB to gather.
if (destination && !config.logSync) {
  setInterval(() => {
    try {
      destination.flush();
    } catch {
      // a write is in progress; the next tick flushes
    }
  }, 1000).unref();
}
// Buffered lines are still written when the process dies of an unexpected error.
process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception');
  flushLogs();
  process.exit(1);
});
const tracing = startTracing(config.tracing);
const running = await createGateway(config, logger).listen();
logger.info({ url: running.url }, `gateway ready: GraphQL endpoint at ${running.url}`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  // close() stops accepting, lets in-flight requests finish for up to SHUTDOWN_TIMEOUT_MS,
  // then drops what is left.
  logger.info({ signal, graceMs: config.shutdownTimeoutMs }, 'shutting down');
  try {
    await running.close();
    await tracing.shutdown();
    process.exit(0);
  } catch (err) {
    logger.error({ err }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
