import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { ApolloGateway, executeQueryPlan } from '@apollo/gateway';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
} from '@apollo/server-gateway-interface';
import type { GatewayContext } from '../context.js';

type QueryPlan = Parameters<typeof executeQueryPlan>[0];

export type Executor = (
  request: GatewayGraphQLRequestContext<GatewayContext>,
) => Promise<GatewayExecutionResult>;

/** @apollo/gateway over one supergraph generation, with its planner's worker. */
export interface Fallback {
  generation: number;
  gateway: ApolloGateway;
  executor: Promise<Executor>;
  planner: FallbackPlanner;
}

/** By default (PLAN_TIMEOUT_MS): planning is tens of milliseconds, a loaded machine's worst 142. */
export const PLAN_TIMEOUT_MS = 2_000;
/** The code of an operation whose planning took longer than that (docs/errors.md). */
export const PLANNING_TIMEOUT = 'PLANNING_TIMEOUT';

/**
 * @apollo/gateway's query planner in a worker thread, for the operations the Rust planner cannot
 * plan (engine.ts). Planning is synchronous, CPU-bound work (tens of milliseconds for a large
 * document, more on a loaded machine): on the gateway's event loop it would hold up every other
 * request and `/healthz` meanwhile. Here it runs beside the loop; the engine hands the plan to
 * @apollo/gateway's executor, which then does not plan again.
 *
 * One worker per supergraph generation, built from the same supergraph text and with the same
 * planner settings as the ApolloGateway it serves, so the plans are the ones that gateway would
 * make. Requests are answered in order. One whose planning takes longer than `timeoutMs` (counted
 * from when the worker is ready and the request before it answered) fails and ends the worker
 * (a planner stuck on a pathological document cannot be interrupted otherwise); the requests
 * behind it are planned by a new worker. No request waits more than WAIT_TIMEOUTS × `timeoutMs`
 * in all, however long the queue.
 */

/**
 * Runs inside the worker (CommonJS, `eval`: the gateway also runs from its TypeScript sources
 * under the test runner, where a separate worker file would not load). Module paths come
 * resolved from the gateway's own dependencies.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { parse } = require(workerData.modules.graphql);
const { Supergraph, operationFromDocument } = require(workerData.modules.internals);
const { QueryPlanner } = require(workerData.modules.planner);
const supergraph = Supergraph.build(workerData.sdl);
const apiSchema = supergraph.apiSchema();
const planner = new QueryPlanner(supergraph);
parentPort.postMessage({ ready: true });
parentPort.on('message', ({ id, query, operationName }) => {
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
function plannerModules(): { graphql: string; internals: string; planner: string } {
  const gateway = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));
  const planner = gateway.resolve('@apollo/query-planner');
  const internals = gateway.resolve('@apollo/federation-internals');
  return { planner, internals, graphql: createRequire(internals).resolve('graphql') };
}

export class PlanTimeoutError extends Error {}

/** How long a request may wait for its plan in all, queue included, in units of the timeout. */
export const WAIT_TIMEOUTS = 5;

interface Pending {
  query: string;
  operationName: string | undefined;
  resolve: (plan: QueryPlan) => void;
  reject: (err: Error) => void;
  /** Ends the wait at WAIT_TIMEOUTS × the timeout, whatever the worker is doing. */
  deadline: NodeJS.Timeout;
}

export class FallbackPlanner {
  private worker: Worker | undefined;
  /** Whether the worker has built its planner: the time a plan may take counts from then. */
  private ready = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /**
   * What the current worker has been sent and not answered, in order: the requests still waiting
   * and those whose wait ended (WAIT_TIMEOUTS) but which the worker still plans.
   */
  private queue: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The request the timer runs for: the worker's oldest unanswered one (answers come in order). */
  private timed: number | undefined;
  private closed = false;

  constructor(
    private readonly sdl: string,
    private readonly timeoutMs: number,
  ) {}

  /** The plan @apollo/gateway's planner makes for `query`; rejects with the planner's error. */
  plan(query: string, operationName: string | undefined): Promise<QueryPlan> {
    if (this.closed) return Promise.reject(new Error('The fallback planner is closed.'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<QueryPlan>((resolve, reject) => {
      const deadline = setTimeout(() => this.expire(id), WAIT_TIMEOUTS * this.timeoutMs);
      deadline.unref();
      this.pending.set(id, { query, operationName, resolve, reject, deadline });
      this.post(worker, id, query, operationName);
      if (this.ready && this.timed === undefined) this.arm();
    });
  }

  /**
   * The wait of `id` ran past WAIT_TIMEOUTS × the timeout: it fails. The worker, which cannot be
   * told, still plans it in its turn, and that time is timed as its own, not the next request's.
   */
  private expire(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.reject(
      new PlanTimeoutError(`No plan within ${WAIT_TIMEOUTS * this.timeoutMs} ms; try again.`),
    );
  }

  private post(worker: Worker, id: number, query: string, operationName: string | undefined) {
    worker.postMessage({ id, query, operationName });
    this.queue.push(id);
  }

  /** Ends the worker; waiting requests fail. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) this.settle(p, new Error('The fallback planner is closed.'));
    await this.stop();
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { sdl: this.sdl, modules: plannerModules() },
      // Its own heap bound: a planner that runs away fails its request, not the gateway.
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    worker.unref();
    worker.on(
      'message',
      (message: { ready?: boolean; id?: number; plan?: QueryPlan; error?: string }) => {
        if (worker !== this.worker) return;
        if (message.ready) {
          this.ready = true;
          return this.arm();
        }
        const pending = message.id === undefined ? undefined : this.pending.get(message.id);
        const answered = message.id === undefined ? -1 : this.queue.indexOf(message.id);
        if (answered >= 0) this.queue.splice(0, answered + 1);
        if (pending) {
          this.pending.delete(message.id!);
          if (message.error !== undefined) this.settle(pending, new Error(message.error));
          else this.settle(pending, undefined, message.plan);
        }
        if (this.timed === message.id) this.arm();
      },
    );
    const failed = (err: Error) => {
      if (worker !== this.worker) return;
      const pending = [...this.pending.values()];
      this.pending.clear();
      for (const p of pending) this.settle(p, err);
      void this.stop();
    };
    worker.on('error', failed);
    worker.on('exit', () => failed(new Error('The fallback planner stopped.')));
    this.worker = worker;
    this.ready = false;
    this.queue = [];
    return worker;
  }

  /**
   * Times the worker's oldest unanswered request (it answers in order), from now: from when the
   * worker is ready, or from the answer before it, so neither starting a worker nor waiting in
   * the queue counts against a plan's time. One whose wait has ended is timed too: if it overruns,
   * the worker is ended for it rather than for the request behind.
   */
  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timed = this.queue[0];
    if (this.timed === undefined) return;
    const timed = this.timed;
    this.timer = setTimeout(() => this.overran(timed), this.timeoutMs);
    this.timer.unref();
  }

  /**
   * The planning of `id` ran past the timeout: it fails, the worker is ended (a planner cannot be
   * interrupted otherwise), and the requests behind it go to a new worker, in their order.
   */
  private overran(id: number): void {
    const culprit = this.pending.get(id);
    if (culprit) {
      this.pending.delete(id);
      this.settle(
        culprit,
        new PlanTimeoutError(
          `Planning took longer than ${this.timeoutMs} ms; try a smaller query.`,
        ),
      );
    }
    void this.stop();
    if (this.pending.size === 0 || this.closed) return;
    const worker = this.start();
    for (const [next, p] of this.pending) this.post(worker, next, p.query, p.operationName);
  }

  private settle(p: Pending, err: Error | undefined, plan?: QueryPlan): void {
    clearTimeout(p.deadline);
    if (err) p.reject(err);
    else p.resolve(plan as QueryPlan);
  }

  private async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timed = undefined;
    this.queue = [];
    const worker = this.worker;
    this.worker = undefined;
    this.ready = false;
    await worker?.terminate();
  }
}

/** @apollo/gateway's plan cache, which its executor reads before planning (not public API). */
interface PlanStore {
  get(key: string): Promise<QueryPlan | undefined>;
  set(key: string, plan: QueryPlan): Promise<void>;
}

/**
 * Plans `request` in the worker and stores the plan where @apollo/gateway's executor looks first
 * (its query plan store, under the key it derives: the query hash, with the operation name when
 * one is given), so that the executor runs the plan without planning on the event loop. Without
 * that store (another @apollo/gateway version) the executor plans as before: slower, as correct.
 */
export async function planInWorker(
  gateway: ApolloGateway,
  planner: FallbackPlanner,
  request: GatewayGraphQLRequestContext<GatewayContext>,
): Promise<void> {
  const store = (gateway as unknown as { queryPlanStore?: PlanStore }).queryPlanStore;
  const { queryHash, source } = request;
  if (!store || !queryHash || source === undefined) return;
  const operationName = request.request.operationName ?? undefined;
  const key = operationName
    ? createHash('sha256').update(queryHash).update(operationName).digest('hex')
    : queryHash;
  if (await store.get(key)) return;
  await store.set(key, await planner.plan(source, operationName));
}
