/**
 * A circuit breaker for one subgraph. Closed: requests flow, consecutive failures are counted.
 * After `failureThreshold` of them it opens: requests fail at once (no socket, no timeout) for
 * `resetMs`. Then one trial request is let through (half-open): success closes it, failure
 * opens it again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private state: 'closed' | 'open' | 'half-open' = 'closed';
  private trialInFlight = false;

  constructor(
    private readonly failureThreshold: number,
    private readonly resetMs: number,
    private readonly onChange: (state: 'closed' | 'open' | 'half-open') => void = () => {},
  ) {}

  get current(): 'closed' | 'open' | 'half-open' {
    return this.state;
  }

  /** Whether a request may be sent now. */
  allow(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open' && Date.now() - this.openedAt >= this.resetMs) {
      this.set('half-open');
    }
    if (this.state === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return true;
    }
    return false;
  }

  success(): void {
    this.failures = 0;
    this.trialInFlight = false;
    if (this.state !== 'closed') this.set('closed');
  }

  failure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.state === 'half-open' || this.failures >= this.failureThreshold) {
      this.openedAt = Date.now();
      if (this.state !== 'open') this.set('open');
    }
  }

  private set(state: 'closed' | 'open' | 'half-open') {
    this.state = state;
    this.onChange(state);
  }
}
