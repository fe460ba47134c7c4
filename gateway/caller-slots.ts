/** Seconds a caller refused for its requests in flight is told to wait. */
export const CONCURRENCY_RETRY_AFTER_S = 1;

/**
 * Requests of one caller being answered at once (`MAX_IN_FLIGHT_PER_CALLER`), as Stripe's
 * concurrent-request limiter and GitHub's secondary rate limit bound them. The quota counts
 * requests over a minute, not their work at the same moment: one key sending its minute's
 * allowance of expensive documents at once held them all in the gateway and the subgraphs
 * together, and every other caller, within its own quota, waited behind them.
 */
export class CallerSlots {
  private readonly held = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** The slots of `max` requests a caller; none (no bound) for 0. */
  static of(max: number): CallerSlots | undefined {
    return max > 0 ? new CallerSlots(max) : undefined;
  }

  /** A slot of `caller`, given back by calling what is returned; undefined when all are held. */
  take(caller: string): (() => void) | undefined {
    const now = this.held.get(caller) ?? 0;
    if (now >= this.max) return undefined;
    this.held.set(caller, now + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (this.held.get(caller) ?? 1) - 1;
      if (left > 0) this.held.set(caller, left);
      else this.held.delete(caller);
    };
  }
}
