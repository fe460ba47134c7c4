import { PlanTimeoutError } from './fallback-planner.js';

/** Callers remembered at once (cooling down); beyond, the oldest is forgotten. */
const MAX_CALLERS = 10_000;

/**
 * Operations of one caller waiting for or being planned at once: room for a client's ordinary
 * concurrency (about 3 % of wide documents need this planner), not for filling its queue.
 */
export const MAX_PLANNING_PER_CALLER = 3;

/**
 * Who may use the fallback planner's one worker now (fallback-planner.ts). Its queue is shared:
 * one caller sending a new document that cannot be planned in time every second (within every
 * limit and the anonymous quota) kept it full, and every other caller's wait ran out. So a caller
 * has at most MAX_PLANNING_PER_CALLER operations waiting for or being planned there, and a caller
 * whose own plan took too long (or stopped the planner) waits `cooldownMs` before its next one is
 * planned; one whose wait ran out behind others' is not paused. Either refusal is a
 * PlanTimeoutError (PLANNING_TIMEOUT), said at once. Callers are identities (`anon:<address>` for
 * anonymous ones).
 */
export class PlannerAdmission {
  private readonly active = new Map<string, number>();
  private readonly coolingUntil = new Map<string, number>();

  constructor(
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `plan` for `caller`, or refuses it as above. */
  async run<T>(caller: string, plan: () => Promise<T>): Promise<T> {
    const until = this.coolingUntil.get(caller);
    if (until !== undefined && until > this.now()) {
      throw new PlanTimeoutError(
        'An operation of yours took too long to plan a moment ago; try a smaller query later.',
      );
    }
    const active = this.active.get(caller) ?? 0;
    if (active >= MAX_PLANNING_PER_CALLER) {
      throw new PlanTimeoutError(
        `${active} operations of yours are being planned; wait for them before sending more.`,
      );
    }
    this.active.set(caller, active + 1);
    try {
      return await plan();
    } catch (err) {
      if (err instanceof PlanTimeoutError && err.culprit) this.coolDown(caller);
      throw err;
    } finally {
      const left = (this.active.get(caller) ?? 1) - 1;
      if (left > 0) this.active.set(caller, left);
      else this.active.delete(caller);
    }
  }

  private coolDown(caller: string): void {
    this.coolingUntil.delete(caller);
    if (this.coolingUntil.size >= MAX_CALLERS) {
      this.coolingUntil.delete(this.coolingUntil.keys().next().value!);
    }
    this.coolingUntil.set(caller, this.now() + this.cooldownMs);
  }
}
