import { PlanTimeoutError } from './fallback-planner.js';

/** Callers remembered at once (cooling down); beyond, the oldest is forgotten. */
const MAX_CALLERS = 10_000;

/**
 * Operations of one caller waiting for or being planned at once: room for a client's ordinary
 * concurrency (about 3 % of wide documents need this planner), not for filling its queue.
 */
export const MAX_PLANNING_PER_CALLER = 3;

/**
 * Operations of one caller waiting, outside the planner's queue, for one of its places there;
 * one more is refused at once. A page's first load sends a dozen new documents at once, and with
 * GATEWAY_ENGINE=apollo every new document is planned here.
 */
export const MAX_WAITING_PER_CALLER = 32;

/**
 * Who may use the fallback planner's one worker now (fallback-planner.ts). Its queue is shared:
 * one caller sending a new document that cannot be planned in time every second (within every
 * limit and the anonymous quota) kept it full, and every other caller's wait ran out. So a caller
 * has at most MAX_PLANNING_PER_CALLER operations waiting for or being planned there; its further
 * ones wait their turn in a line of its own (at most MAX_WAITING_PER_CALLER, each for at most
 * `waitMs`), so a burst of a client's new documents is planned a few at a time rather than
 * refused. A caller whose own plan took too long (or stopped the planner) waits `cooldownMs`
 * before its next one is planned; one whose wait ran out behind others' is not paused. Each
 * refusal is a PlanTimeoutError (PLANNING_TIMEOUT). Callers are identities (`anon:<address>` for
 * anonymous ones).
 */
export class PlannerAdmission {
  private readonly active = new Map<string, number>();
  private readonly coolingUntil = new Map<string, number>();
  /** Each caller's operations waiting for a place, first come first served. */
  private readonly lines = new Map<string, (() => void)[]>();

  constructor(
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
    private readonly waitMs = cooldownMs,
  ) {}

  /** Runs `plan` for `caller`, or refuses it as above. */
  async run<T>(caller: string, plan: () => Promise<T>): Promise<T> {
    this.refuseIfCooling(caller);
    const active = this.active.get(caller) ?? 0;
    if (active < MAX_PLANNING_PER_CALLER) this.active.set(caller, active + 1);
    else await this.waitForPlace(caller); // the place is handed over, already counted
    try {
      this.refuseIfCooling(caller);
      return await plan();
    } catch (err) {
      if (err instanceof PlanTimeoutError && err.culprit) this.coolDown(caller);
      throw err;
    } finally {
      this.release(caller);
    }
  }

  private refuseIfCooling(caller: string): void {
    const until = this.coolingUntil.get(caller);
    if (until !== undefined && until > this.now()) {
      throw new PlanTimeoutError(
        'An operation of yours took too long to plan a moment ago; try a smaller query later.',
      );
    }
  }

  private waitForPlace(caller: string): Promise<void> {
    const line = this.lines.get(caller) ?? [];
    if (line.length >= MAX_WAITING_PER_CALLER) {
      const busy = MAX_PLANNING_PER_CALLER + line.length;
      return Promise.reject(
        new PlanTimeoutError(
          `${busy} operations of yours are being planned or waiting for it; wait for them before sending more.`,
        ),
      );
    }
    this.lines.set(caller, line);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = line.indexOf(turn);
        if (at >= 0) line.splice(at, 1);
        if (line.length === 0 && this.lines.get(caller) === line) this.lines.delete(caller);
        reject(new PlanTimeoutError(`No place to plan your operation within ${this.waitMs} ms.`));
      }, this.waitMs);
      const turn = () => {
        clearTimeout(timer);
        resolve();
      };
      line.push(turn);
    });
  }

  /** A place of `caller` is free: the next in its line takes it, or it is given back. */
  private release(caller: string): void {
    const line = this.lines.get(caller);
    const next = line?.shift();
    if (line?.length === 0) this.lines.delete(caller);
    if (next) return next();
    const left = (this.active.get(caller) ?? 1) - 1;
    if (left > 0) this.active.set(caller, left);
    else this.active.delete(caller);
  }

  private coolDown(caller: string): void {
    this.coolingUntil.delete(caller);
    if (this.coolingUntil.size >= MAX_CALLERS) {
      this.coolingUntil.delete(this.coolingUntil.keys().next().value!);
    }
    this.coolingUntil.set(caller, this.now() + this.cooldownMs);
  }
}
