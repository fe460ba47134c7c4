import { pino } from 'pino';
import { loadGatewayConfig } from './config.js';
import { createGateway } from './gateway.js';
import { startTracing } from './tracing.js';

const config = loadGatewayConfig();
const logger = pino({
  name: 'gateway',
  level: config.logLevel,
  ...(config.prettyLogs
    ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } }
    : {}),
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
