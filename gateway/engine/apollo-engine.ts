import { ApolloGateway } from '@apollo/gateway';
import type {
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewayLoadResult,
  GatewaySchemaLoadOrUpdateCallback,
} from '@apollo/server-gateway-interface';
import {
  FallbackPlanner,
  PLAN_TIMEOUT_MS,
  planningTimeoutAnswer,
  PlanTimeoutError,
  WAIT_TIMEOUTS,
} from './fallback-planner.js';
import { executePlanned, NOT_PLANNED, planInWorker, type Planned } from './fallback.js';
import { executablePlan } from './partial-representations.js';
import { DEFAULT_PLAN_CACHE_BYTES, PlanStore } from './plan-store.js';
import type { GatewayContext } from '../context.js';
import type { EngineOptions } from './options.js';
import { PlannerAdmission } from './planner-admission.js';
import { supergraphFromFile } from './supergraph.js';
import { runFilled } from './empty-selections.js';

/**
 * `GATEWAY_ENGINE=apollo`: @apollo/gateway, its planner and executor, with its planning moved off
 * the event loop. Its planner is synchronous and grows faster than the document (a 10 KB document
 * of 30 aliases four levels deep took 3 s): on the loop, one such document a second held up every
 * other request and `/healthz`. Each operation is planned first in the same worker thread the
 * default engine's fallback uses (fallback-planner.ts: a time bound, PLANNING_TIMEOUT past it,
 * one planner per supergraph version, and planner-admission.ts per caller); the executor then
 * finds the plan in its store and does not plan again. A selection set that `@skip`/`@include`
 * leave empty is given `__typename`, dropped from the answer (empty-selections.ts).
 */
export class ApolloEngine implements GatewayInterface {
  private readonly gateway: ApolloGateway;
  private planner: FallbackPlanner | undefined;
  private readonly timeoutMs: number;
  private readonly admission: PlannerAdmission;
  private readonly plans: PlanStore;

  constructor(private readonly opts: EngineOptions) {
    this.timeoutMs = opts.planTimeoutMs ?? PLAN_TIMEOUT_MS;
    this.admission = new PlannerAdmission(WAIT_TIMEOUTS * this.timeoutMs);
    this.plans = new PlanStore(opts.planCacheBytes ?? DEFAULT_PLAN_CACHE_BYTES, (plan) =>
      this.planner ? executablePlan(plan, this.planner.sdl) : plan,
    );
    this.gateway = new ApolloGateway({
      supergraphSdl: supergraphFromFile(opts.supergraphPath, opts.watch, opts.logger),
      logger: opts.logger,
      queryPlannerConfig: { cache: this.plans },
      buildService: ({ name, url }) => opts.buildSource({ name, url: url! }),
    });
    // A new supergraph gets its own planner; the old one finishes what it was given.
    // Its worker starts at once: every operation is planned there, and the seconds a start takes
    // on a loaded machine counted against the wait of the first ones (PLANNING_TIMEOUT).
    this.gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
      this.planner?.retire();
      this.planner = new FallbackPlanner(coreSupergraphSdl, this.timeoutMs);
      void this.planner.prepare();
    });
  }

  async load(options?: Parameters<GatewayInterface['load']>[0]): Promise<GatewayLoadResult> {
    const { executor } = await this.gateway.load(options);
    if (!executor) return { executor };
    // Served once its planner is up (or a minute has passed: then the first operations wait).
    let timer: NodeJS.Timeout | undefined;
    const minute = new Promise((resolve) => (timer = setTimeout(resolve, 60_000)));
    await Promise.race([this.planner?.prepare(), minute]).finally(() => clearTimeout(timer));
    const planned: GatewayExecutor = (original) =>
      runFilled(original as GatewayGraphQLRequestContext<GatewayContext>, async (request) => {
        const planner = this.planner;
        let planned: Planned = NOT_PLANNED;
        try {
          if (planner) planned = await planInWorker(this.plans, planner, request, this.admission);
        } catch (err) {
          if (err instanceof PlanTimeoutError) return planningTimeoutAnswer(err);
          // The planner's own error (a document it cannot plan): the executor says it, as before.
          this.opts.logger.debug({ err }, "@apollo/gateway's planner failed in its worker");
        }
        return executePlanned(executor, request, planned, this.opts.logger);
      });
    return { executor: planned };
  }

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback): () => void {
    return this.gateway.onSchemaLoadOrUpdate(callback);
  }

  async stop(): Promise<void> {
    await this.planner?.close();
    await this.gateway.stop();
  }
}
