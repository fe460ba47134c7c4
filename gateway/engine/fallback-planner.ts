import { Worker } from 'node:worker_threads';
import { GraphQLError } from 'graphql';
import type { executeQueryPlan } from '@apollo/gateway';
import { plannerModules, WORKER_SOURCE, type WorkerMessage } from './fallback-worker.js';

export type QueryPlan = Parameters<typeof executeQueryPlan>[0];

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
 * behind it are planned by a new worker; a worker that crashes (out of memory) is treated the
 * same way. No request waits more than WAIT_TIMEOUTS × `timeoutMs` in all, however long the
 * queue, and the worker skips the requests whose wait has ended. A timer that fires late because
 * the event loop was held up reads the worker's answers first: a plan that came in time counts.
 */

export class PlanTimeoutError extends Error {
  /** True when this operation's own planning overran or stopped the planner (not its wait). */
  constructor(
    message: string,
    readonly culprit = false,
  ) {
    super(message);
  }
}

/** The answer to an operation refused for its planning time: 400 PLANNING_TIMEOUT, both engines. */
export const planningTimeoutAnswer = (err: PlanTimeoutError) => ({
  errors: [new GraphQLError(err.message, { extensions: { code: PLANNING_TIMEOUT } })],
});

/** How long a request may wait for its plan in all, queue included, in units of the timeout. */
export const WAIT_TIMEOUTS = 5;

/**
 * How many requests may wait for a plan at once; one more is answered PlanTimeoutError at once.
 * Plans take tens of milliseconds, so more than this would mostly time out in the queue anyway,
 * and each waiting request holds its document (in the worker's queue too).
 */
export const MAX_WAITING = 100;

/**
 * Runs `fn` once this turn of the event loop has read its I/O: a timer that fires late, after
 * the loop was held up, judges only after reading the worker's answers that arrived meanwhile.
 * Not unref'd: an unref'd immediate does not wake an idle loop, so on a gateway with nothing
 * else to do the verdict waited for the next I/O, the worker's own late answer included, and a
 * plan that overran was taken as in time.
 */
const afterIo = (fn: () => void) => void setImmediate(fn);

interface Pending {
  query: string;
  operationName: string | undefined;
  resolve: (plan: QueryPlan) => void;
  reject: (err: Error) => void;
  /** How long it may wait in all, and when that ends (epoch ms, as the worker reads it). */
  waitMs: number;
  expiresAt: number;
  /** Ends the wait at `expiresAt`, whatever the worker is doing. */
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
   * and those whose wait ended (the worker answers those without planning when it reaches them,
   * or, when it had already started, plans them).
   */
  private queue: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The request the timer runs for: the worker's oldest unanswered one (answers come in order). */
  private timed: number | undefined;
  /** Takes no new request (closed, or retired with requests still being planned). */
  private closed = false;
  /** Requests the worker answered without planning because their wait had ended. */
  skipped = 0;

  constructor(
    readonly sdl: string,
    private readonly timeoutMs: number,
  ) {}

  /**
   * The plan @apollo/gateway's planner makes for `query`; rejects with the planner's error, or
   * PlanTimeoutError when it took too long or `waitMs` passed first.
   */
  plan(
    query: string,
    operationName: string | undefined,
    waitMs = WAIT_TIMEOUTS * this.timeoutMs,
  ): Promise<QueryPlan> {
    if (this.closed) return Promise.reject(new Error('The fallback planner is closed.'));
    if (this.pending.size >= MAX_WAITING) {
      return Promise.reject(
        new PlanTimeoutError(`${MAX_WAITING} operations are waiting for a plan; try again.`),
      );
    }
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<QueryPlan>((resolve, reject) => {
      const deadline = setTimeout(() => afterIo(() => this.expire(id)), waitMs);
      deadline.unref();
      const expiresAt = Date.now() + waitMs;
      this.pending.set(id, { query, operationName, resolve, reject, waitMs, expiresAt, deadline });
      this.post(worker, id);
      if (this.ready && this.timed === undefined) this.arm();
    });
  }

  /** The wait of `id` has ended: it fails. The worker skips it, or times it as its own. */
  private expire(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.settle(p, new PlanTimeoutError(`No plan within ${p.waitMs} ms; try again.`));
  }

  private post(worker: Worker, id: number) {
    const { query, operationName, expiresAt } = this.pending.get(id)!;
    worker.postMessage({ id, query, operationName, expiresAt });
    this.queue.push(id);
  }

  /**
   * Starts the worker now if none runs, and resolves once it has built its planner (or ended):
   * a planner every operation needs starts before the first one, whose wait would count it.
   */
  prepare(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const worker = this.worker ?? this.start();
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        worker.off('message', onMessage).off('exit', done);
        resolve();
      };
      const onMessage = (message: WorkerMessage<QueryPlan>) => message.ready && done();
      worker.on('message', onMessage).on('exit', done);
    });
  }

  /** Ends the worker; waiting requests fail. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = [...this.pending.values()];
    this.pending.clear();
    const stopped = this.stop();
    for (const p of pending) this.settle(p, new Error('The fallback planner is closed.'));
    await stopped;
  }

  /**
   * Takes no new request (a new supergraph has its own planner); the waiting ones are still
   * planned, then the worker ends.
   */
  retire(): void {
    this.closed = true;
    if (this.pending.size === 0) void this.stop();
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { sdl: this.sdl, modules: plannerModules() },
      // Its own heap bound: a planner that runs away fails its request, not the gateway.
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    worker.unref();
    worker.on('message', (message: WorkerMessage<QueryPlan>) => {
      if (worker !== this.worker) return;
      if (message.ready) {
        this.ready = true;
        return this.arm();
      }
      const id = message.id!;
      const answered = this.queue.indexOf(id);
      if (answered >= 0) this.queue.splice(0, answered + 1);
      if (message.expired) this.skipped++;
      const p = this.pending.get(id);
      if (p) {
        this.pending.delete(id);
        if (message.expired) this.settle(p, new PlanTimeoutError(`No plan within ${p.waitMs} ms.`));
        else if (message.error !== undefined) this.settle(p, new Error(message.error));
        else this.settle(p, undefined, message.plan);
      }
      if (this.timed === id) this.arm();
    });
    // A crash (out of memory, a fault in the planner) is treated as an overrun of the request
    // being planned; one before the planner was built fails every waiting request.
    const crashed = (err: Error) => {
      if (worker !== this.worker) return;
      if (this.ready) {
        return this.replace(
          this.queue[0],
          new PlanTimeoutError(
            'Planning this operation stopped the planner; try a smaller query.',
            true,
          ),
        );
      }
      const pending = [...this.pending.values()];
      this.pending.clear();
      for (const p of pending) this.settle(p, new Error(`The fallback planner failed: ${err}`));
      void this.stop();
    };
    worker.on('error', crashed);
    worker.on('exit', (code) => crashed(new Error(`it exited with code ${code}`)));
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
    const [timed, worker] = [this.timed, this.worker];
    const overran = () => {
      if (this.timed !== timed || this.worker !== worker) return; // answered meanwhile
      this.replace(
        timed,
        new PlanTimeoutError(
          `Planning took longer than ${this.timeoutMs} ms; try a smaller query.`,
          true,
        ),
      );
    };
    this.timer = setTimeout(() => afterIo(overran), this.timeoutMs);
    this.timer.unref();
  }

  /**
   * The request being planned (`culprit`, if it still waits) fails with `err`, the worker is
   * ended (a planner cannot be interrupted otherwise), and the requests behind it go to a new
   * worker, in their order.
   */
  private replace(culprit: number | undefined, err: PlanTimeoutError): void {
    const p = culprit === undefined ? undefined : this.pending.get(culprit);
    if (p) {
      this.pending.delete(culprit!);
      this.settle(p, err);
    }
    void this.stop();
    if (this.pending.size === 0) return;
    const worker = this.start();
    for (const id of this.pending.keys()) this.post(worker, id);
  }

  private settle(p: Pending, err: Error | undefined, plan?: QueryPlan): void {
    clearTimeout(p.deadline);
    if (err) p.reject(err);
    else p.resolve(plan as QueryPlan);
    if (this.closed && this.pending.size === 0) void this.stop(); // retired, and done
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
