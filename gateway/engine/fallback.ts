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
import { executablePlan } from './partial-representations.js';
import type { PlanStore } from './plan-store.js';
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
  /** @apollo/gateway's plan store (its executor reads it first). */
  plans: PlanStore;
  /** Set when the executor failed to load: not rebuilt before then (Date.now() ms). */
  retryAt?: number;
}

/** How long a fallback that failed to load answers errors before it is built again. */
export const FALLBACK_RETRY_MS = 30_000;

/** A plan made for a request, held in the store until the request is answered. */
export interface Planned {
  gaps: Position[];
  release: () => void;
}

/** No plan held: the executor plans on its own (it says the planner's error). */
export const NOT_PLANNED: Planned = { gaps: [], release: () => undefined };

/**
 * Plans `request` in the worker, repairs the plan and holds it in `store`, where
 * @apollo/gateway's executor looks first under the key it derives (the query hash, with the
 * operation name when one is given), so that the executor runs that plan without planning on
 * the event loop; through `admission` (one operation per caller at a time,
 * planner-admission.ts) when given. Answers where the plan cannot be right (unplannable.ts).
 */
export async function planInWorker(
  store: PlanStore,
  planner: FallbackPlanner,
  request: GatewayGraphQLRequestContext<GatewayContext>,
  admission?: PlannerAdmission,
): Promise<Planned> {
  const { queryHash, source } = request;
  if (!queryHash || source === undefined) return NOT_PLANNED;
  const operationName = request.request.operationName ?? undefined;
  const key = operationName
    ? createHash('sha256').update(queryHash).update(operationName).digest('hex')
    : queryHash;
  const held = (plan: QueryPlan): Planned => ({
    gaps: unplannablePositions(plan, planner.sdl),
    release: store.hold(key, plan),
  });
  const known = await store.get(key);
  if (known) return held(known);
  // Concurrent requests of one new document share its planning (and count once per caller).
  let planning = inFlight.get(store);
  if (!planning) inFlight.set(store, (planning = new Map()));
  let made = planning.get(key);
  if (!made) {
    const plan = () => planner.plan(source, operationName);
    const caller = request.context?.identity?.id ?? 'unknown';
    made = (async () =>
      executablePlan(
        await (admission ? admission.run(caller, plan) : plan()),
        planner.sdl,
      ))().finally(() => planning.delete(key));
    planning.set(key, made);
  }
  return held(await made);
}

/** Plannings under way, by plan store and key. */
const inFlight = new WeakMap<PlanStore, Map<string, Promise<QueryPlan>>>();

/**
 * What @apollo/gateway's executor answers, with the errors its answers need (`gaps`:
 * planInWorker). An executor that throws (a plan it cannot walk: "Unexpected array in result"
 * from a repaired plan once) answers an error, logged, never an HTTP 500.
 */
export async function executePlanned(
  executor: Executor,
  request: GatewayGraphQLRequestContext<GatewayContext>,
  { gaps, release }: Planned,
  logger: Logger,
): Promise<GatewayExecutionResult> {
  let result: GatewayExecutionResult;
  try {
    result = await executor(request);
  } catch (err) {
    logger.error({ err }, "@apollo/gateway's executor failed");
    return { data: null, errors: [internalError()] };
  } finally {
    release();
  }
  return withUnplannableErrors(withCompletionErrors(result), gaps);
}
