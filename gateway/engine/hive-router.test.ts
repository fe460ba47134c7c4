import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SUPERGRAPH_FILE } from '../../scripts/api-schema.js';
import type { GatewayContext } from '../context.js';
import type { FallbackPlanner } from './fallback-planner.js';
import { HiveRouterEngine } from './hive-router.js';

/**
 * The engine behind Apollo Server, on the project's supergraph, without subgraphs: what a
 * caller sees when the engine itself fails (the stack's tests cover the answers).
 */
const fetched: string[] = [];
const engine = new HiveRouterEngine({
  supergraphPath: SUPERGRAPH_FILE,
  watch: false,
  logger: pino({ level: 'silent' }),
  // No subgraph is reached in these tests; a fetch would be recorded and fail.
  buildSource: ({ name }) => ({
    process: async () => {
      fetched.push(name);
      return { errors: [{ message: 'not reachable in this test' }] };
    },
  }),
});
const server = new ApolloServer<GatewayContext>({ gateway: engine });

beforeAll(async () => {
  await server.start();
});
afterAll(async () => {
  await server.stop();
});

// Introspection mixed with other root fields is executed by @apollo/gateway, planned in the
// fallback planner's worker.
const MIXED = '{ __schema { queryType { name } } region(code: "331124") { name } }';

/** Sends MIXED; checks the answer is HTTP 200 and returns its body. */
async function sendMixed(): Promise<Record<string, unknown>> {
  const response = await server.executeOperation(
    { query: MIXED },
    { contextValue: { requestId: 'test' } as GatewayContext },
  );
  expect(response.http.status ?? 200).toBe(200);
  return (response.body as { kind: 'single'; singleResult: Record<string, unknown> }).singleResult;
}

describe('the Rust runtime engine', () => {
  it("starts the fallback planner's worker when the supergraph loads, before it is needed", () => {
    // Started by the first operation that needed it, its start (0.5-6.5 s on a loaded machine)
    // counted against that operation's wait: PLANNING_TIMEOUT once (bench/fallback-start.ts).
    const { planner } = (engine as unknown as { fallback: { planner: FallbackPlanner } }).fallback;
    expect((planner as unknown as { worker?: Worker }).worker).toBeDefined();
  });

  it('answers a failure of the fallback planner as an error, never an HTTP 500', async () => {
    const planner = (engine as unknown as { fallback: { planner: FallbackPlanner } }).fallback
      .planner;
    await planner.close(); // as a planner that fails for any reason other than time
    expect(await sendMixed()).toMatchObject({
      data: null,
      errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(fetched).toEqual([]);
  });

  it('answers the same when @apollo/gateway could not load its executor', async () => {
    const fallback = (engine as unknown as { fallback: { executor: Promise<unknown> } }).fallback;
    fallback.executor = Promise.reject(new Error('could not load'));
    fallback.executor.catch(() => undefined);
    expect(await sendMixed()).toMatchObject({
      data: null,
      errors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(fetched).toEqual([]);
  });

  it('does not build @apollo/gateway again for each request after it failed to load', async () => {
    const load = vi
      .spyOn(ApolloGateway.prototype, 'load')
      .mockRejectedValue(new Error('could not load'));
    try {
      // As after a new supergraph: the next operation that needs the fallback builds it.
      (engine as unknown as { fallback: undefined }).fallback = undefined;
      for (let i = 0; i < 5; i++) {
        expect(await sendMixed()).toMatchObject({
          data: null,
          errors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        });
      }
      // Each build is some 300 ms of the event loop and a worker: once, until the retry time.
      expect(load).toHaveBeenCalledTimes(1);
      expect(fetched).toEqual([]);
    } finally {
      load.mockRestore();
    }
    // Once the retry time has passed it is built again, and answers.
    const failed = (engine as unknown as { fallback: { retryAt?: number } }).fallback;
    expect(failed.retryAt).toBeGreaterThan(Date.now());
    failed.retryAt = Date.now() - 1;
    const body = await sendMixed();
    expect(body.data).toMatchObject({ __schema: { queryType: { name: 'Query' } } });
  });
});
