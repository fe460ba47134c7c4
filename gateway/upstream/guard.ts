import type { FetchObserver, FetchOutcome } from '../observability/metrics.js';
import type { BreakerPermit, CircuitBreaker } from './breaker.js';
import type { Settled } from './answers.js';

/**
 * The breaker and metrics layer around one logical fetch: refused at once (unavailable) while
 * the breaker is open; counted per subgraph with its outcome; the breaker's permit released
 * whatever happens, so a half-open trial never stays in flight.
 */
export async function guarded(
  breaker: CircuitBreaker,
  subgraph: string,
  observeFetch: FetchObserver | undefined,
  run: (permit: BreakerPermit) => Promise<Settled>,
): Promise<Settled> {
  const permit = breaker.acquire();
  if (!permit) return { ok: false, unsent: true };
  const done = observeFetch?.(subgraph);
  let outcome: FetchOutcome = 'unavailable';
  try {
    const settled = await run(permit);
    if (settled.ok) outcome = settled.parsed?.errors?.length ? 'graphql_error' : 'success';
    else if (settled.refused) outcome = 'graphql_error';
    return settled;
  } finally {
    permit.release();
    done?.(outcome);
  }
}
