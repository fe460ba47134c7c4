import { createRequire } from 'node:module';

/**
 * The fallback planner's worker (fallback-planner.ts): @apollo/gateway's query planner over one
 * supergraph, answering `{ id, plan }` or `{ id, error }` in the order it is asked. A request
 * that arrives past its `expiresAt` (epoch ms: the caller's wait has ended) is answered
 * `{ id, expired: true }` without planning, so the requests behind it do not wait for work
 * nobody waits for.
 *
 * CommonJS, run with `eval`: the gateway also runs from its TypeScript sources under the test
 * runner, where a separate worker file would not load. Module paths come resolved from the
 * gateway's own dependencies (plannerModules).
 */
export const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { parse } = require(workerData.modules.graphql);
const { Supergraph, operationFromDocument } = require(workerData.modules.internals);
const { QueryPlanner } = require(workerData.modules.planner);
const supergraph = Supergraph.build(workerData.sdl);
const apiSchema = supergraph.apiSchema();
const planner = new QueryPlanner(supergraph);
parentPort.postMessage({ ready: true });
parentPort.on('message', ({ id, query, operationName, expiresAt }) => {
  if (Date.now() >= expiresAt) return parentPort.postMessage({ id, expired: true });
  try {
    const operation = operationFromDocument(apiSchema, parse(query), { operationName });
    // The settings ApolloGateway passes by default.
    const plan = planner.buildQueryPlan(operation, {
      recursiveSelectionsLimitDisabled: false,
      nonLocalSelectionsLimitDisabled: false,
    });
    parentPort.postMessage({ id, plan });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

/** The planner's modules as @apollo/gateway itself loads them (one copy of each). */
export function plannerModules(): { graphql: string; internals: string; planner: string } {
  const gateway = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));
  const planner = gateway.resolve('@apollo/query-planner');
  const internals = gateway.resolve('@apollo/federation-internals');
  return { planner, internals, graphql: createRequire(internals).resolve('graphql') };
}

/** What the worker answers. */
export interface WorkerMessage<Plan> {
  ready?: boolean;
  id?: number;
  plan?: Plan;
  error?: string;
  expired?: boolean;
}
