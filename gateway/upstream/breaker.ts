export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * The right to send one request through a breaker. Exactly one of its methods should be called
 * when the request ends; the first call counts and later ones are ignored, so a `finally` that
 * releases a permit already settled is harmless.
 */
export interface BreakerPermit {
  /** The subgraph answered properly. */
  success(): void;
  /** The subgraph failed: no answer, a timeout, a 5xx, or an answer that is not GraphQL. */
  failure(): void;
  /**
   * Neither: the request ended without telling anything about the subgraph's health (a 4xx
   * answer to a bad request, a request refused before it was sent). A half-open breaker's
   * trial slot is freed, so the next request becomes the trial.
   */
  release(): void;
}

/**
 * A circuit breaker for one subgraph. Closed: requests flow, consecutive failures are counted.
 * After `failureThreshold` of them it opens: requests fail at once (no socket, no timeout) for
 * `resetMs`. Then one trial request is let through (half-open): success closes it, failure opens
 * it again, a release (client error) leaves it half-open with the trial slot free.
 *
 * Every trial resolves: the caller settles its permit in a `finally`, and a trial that was never
 * settled (a bug, a lost promise) is given up after `trialTimeoutMs`, when another request may
 * try. The breaker can never stay half-open with no trial possible.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private state: BreakerState = 'closed';
  /** When the half-open trial in flight started; undefined when there is none. */
  private trialStartedAt: number | undefined;

  constructor(
    private readonly failureThreshold: number,
    private readonly resetMs: number,
    private readonly onChange: (state: BreakerState) => void = () => {},
    private readonly trialTimeoutMs: number = resetMs,
    private readonly now: () => number = Date.now,
  ) {}

  get current(): BreakerState {
    return this.state;
  }

  /** A permit to send one request now, or undefined when the breaker refuses it. */
  acquire(): BreakerPermit | undefined {
    const now = this.now();
    if (this.state === 'open' && now - this.openedAt >= this.resetMs) this.set('half-open');
    if (this.state === 'closed') return this.permit(false);
    if (this.state === 'half-open') {
      const lost =
        this.trialStartedAt !== undefined && now - this.trialStartedAt >= this.trialTimeoutMs;
      if (this.trialStartedAt === undefined || lost) {
        this.trialStartedAt = now;
        return this.permit(true);
      }
    }
    return undefined;
  }

  private permit(trial: boolean): BreakerPermit {
    const startedAt = this.trialStartedAt;
    let settled = false;
    // A trial given up as lost must not settle the trial that replaced it.
    const current = () => !trial || this.trialStartedAt === startedAt;
    const once = (fn: () => void) => () => {
      if (settled) return;
      settled = true;
      fn();
    };
    return {
      success: once(() => {
        if (trial && !current()) return;
        this.trialStartedAt = undefined;
        this.failures = 0;
        if (this.state !== 'closed') this.set('closed');
      }),
      failure: once(() => {
        if (trial && !current()) return;
        this.trialStartedAt = undefined;
        this.failures += 1;
        if (this.state === 'half-open' || this.failures >= this.failureThreshold) {
          this.openedAt = this.now();
          if (this.state !== 'open') this.set('open');
        }
      }),
      release: once(() => {
        if (trial && current()) this.trialStartedAt = undefined;
      }),
    };
  }

  private set(state: BreakerState) {
    this.state = state;
    this.onChange(state);
  }
}
