import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
} from '@apollo/server-gateway-interface';
import type { Logger } from 'pino';
import type { GatewayContext } from '../context.js';
import { internalError } from './errors.js';
import type { FallbackPlanner, QueryPlan } from './fallback-planner.js';
import type { PlannerAdmission } from './planner-admission.js';
import { withCompletionErrors } from './null-propagation.js';
import { repairPlan } from './plan-repair.js';
import { unplannablePositions, withUnplannableErrors, type Position } from './unplannable.js';

export type { Position };

/*
 * @apollo/gateway as the engine's fallback (hive-router.ts): what one supergraph generation of
 * it holds, and how a plan made in the planner's worker is handed to its executor.
 */

export type Executor = (
  request: GatewayGraphQLRequestContext<GatewayContext>,
) => Promise<GatewayExecutionResult>;

/** @apollo/gateway over one supergraph generation, with its planner's worker. */
export interface Fallback {
  generation: number;
  gateway: ApolloGateway;
  executor: Promise<Executor>;
  planner: FallbackPlanner;
  /** Set when the executor failed to load: not rebuilt before then (Date.now() ms). */
  retryAt?: number;
}

/** How long a fallback that failed to load answers errors before it is built again. */
export const FALLBACK_RETRY_MS = 30_000;

/** @apollo/gateway's plan cache, which its executor reads before planning (not public API). */
interface PlanStore {
  get(key: string): Promise<QueryPlan | undefined>;
  set(key: string, plan: QueryPlan): Promise<void>;
}

/**
 * Plans `request` in the worker and stores the plan where @apollo/gateway's executor looks first
 * (its query plan store, under the key it derives: the query hash, with the operation name when
 * one is given), so that the executor runs the plan without planning on the event loop; through
 * `admission` (one operation per caller at a time, planner-admission.ts) when given. Without
 * that store (another @apollo/gateway version) the executor plans as before: slower, as correct.
 * Answers where the plan cannot be right (unplannable.ts).
 */
export async function planInWorker(
  gateway: ApolloGateway,
  planner: FallbackPlanner,
  request: GatewayGraphQLRequestContext<GatewayContext>,
  admission?: PlannerAdmission,
): Promise<Position[]> {
  const store = (gateway as unknown as { queryPlanStore?: PlanStore }).queryPlanStore;
  const { queryHash, source } = request;
  if (!store || !queryHash || source === undefined) return [];
  const operationName = request.request.operationName ?? undefined;
  const key = operationName
    ? createHash('sha256').update(queryHash).update(operationName).digest('hex')
    : queryHash;
  const known = await store.get(key);
  if (known) return unplannablePositions(known, planner.sdl);
  // Concurrent requests of one new document share its planning (and count once per caller).
  let planning = inFlight.get(store);
  if (!planning) inFlight.set(store, (planning = new Map()));
  const running = planning.get(key);
  if (running) return running;
  const plan = () => planner.plan(source, operationName);
  const caller = request.context?.identity?.id ?? 'unknown';
  const stored = (async () => {
    const made = repairPlan(await (admission ? admission.run(caller, plan) : plan()), planner.sdl);
    await store.set(key, made);
    return unplannablePositions(made, planner.sdl);
  })().finally(() => planning.delete(key));
  planning.set(key, stored);
  return stored;
}

/** Plannings under way, by plan store and key. */
const inFlight = new WeakMap<PlanStore, Map<string, Promise<Position[]>>>();

/**
 * What @apollo/gateway's executor answers, with the errors its answers need (`gaps`:
 * planInWorker). An executor that throws (a plan it cannot walk: "Unexpected array in result"
 * from a repaired plan once) answers an error, logged, never an HTTP 500.
 */
export async function executePlanned(
  executor: Executor,
  request: GatewayGraphQLRequestContext<GatewayContext>,
  gaps: readonly Position[],
  logger: Logger,
): Promise<GatewayExecutionResult> {
  let result: GatewayExecutionResult;
  try {
    result = await executor(request);
  } catch (err) {
    logger.error({ err }, "@apollo/gateway's executor failed");
    return { data: null, errors: [internalError()] };
  }
  return withUnplannableErrors(withCompletionErrors(result), gaps);
}
