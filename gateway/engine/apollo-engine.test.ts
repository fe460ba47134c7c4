import { ApolloServer } from '@apollo/server';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { SUPERGRAPH_FILE } from '../../scripts/api-schema.js';
import type { GatewayContext } from '../context.js';
import { ApolloEngine } from './apollo-engine.js';

/**
 * GATEWAY_ENGINE=apollo plans every operation in its planner's worker. Started by the first
 * operation, the worker's start (seconds on a loaded machine: 2.5-6.5 s at load 15, 13-40 s at
 * load 20-29) counted against that operation's wait of 5 x PLAN_TIMEOUT_MS, and a freshly started
 * gateway answered its first operations 400 PLANNING_TIMEOUT.
 */
it('serves once its planner’s worker is up, not from its first operation on', async () => {
  const engine = new ApolloEngine({
    supergraphPath: SUPERGRAPH_FILE,
    watch: false,
    logger: pino({ level: 'silent' }),
    // No subgraph is reached: the operation below needs none.
    buildSource: () => ({ process: async () => ({ errors: [{ message: 'not reachable' }] }) }),
    planTimeoutMs: 30_000,
  });
  const server = new ApolloServer<GatewayContext>({ gateway: engine });
  await server.start();
  try {
    const planner = (engine as unknown as { planner: { ready: boolean } }).planner;
    expect(planner.ready).toBe(true);
    const response = await server.executeOperation(
      { query: '{ __typename }' },
      { contextValue: { requestId: 'test' } as GatewayContext },
    );
    expect(response.body).toMatchObject({
      kind: 'single',
      singleResult: { data: { __typename: 'Query' } },
    });
  } finally {
    await server.stop();
  }
});
