import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadGatewayConfig } from '../../gateway/config.js';
import { createGateway, type RunningGateway } from '../../gateway/gateway.js';
import { postGraphQL, type GraphQLResponse } from './subgraph.js';

export interface TestGateway {
  running: RunningGateway;
  url: string;
  query: <T = Record<string, unknown>>(
    q: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ) => Promise<GraphQLResponse<T>>;
  /** A raw POST: any body, any headers. */
  post: (body: string, headers?: Record<string, string>) => Promise<Response>;
  close: () => Promise<void>;
}

/** A gateway alone, on a free port, over the supergraph and settings given in `env`. */
export async function startGateway(env: NodeJS.ProcessEnv): Promise<TestGateway> {
  const config = loadGatewayConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    KEYS_PATH: join(tmpdir(), `rdsg-no-keys-${process.pid}.json`),
    SUPERGRAPH_WATCH: 'false',
    // Tests share one address: failed credentials are not limited unless a test sets a limit.
    AUTH_FAILURES_PER_MINUTE: '0',
    // Every request reaches the subgraphs unless a test turns the response cache on.
    RESPONSE_CACHE: 'off',
    // Gateways of tests run side by side: a production one's liveness port is not 9091.
    LIVENESS_PORT: '0',
    ...env,
  });
  const logger = pino({ level: process.env.TEST_GATEWAY_LOG ?? 'silent' });
  const running = await createGateway(config, logger).listen();
  const url = `http://127.0.0.1:${running.port}/graphql`;
  return {
    running,
    url,
    query: (q, variables, headers) => postGraphQL(url, q, variables, headers),
    post: (body, headers = {}) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      }),
    close: () => running.close(),
  };
}
