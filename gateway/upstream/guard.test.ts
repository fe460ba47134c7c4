import { describe, expect, it } from 'vitest';
import type { FetchOutcome } from '../observability/metrics.js';
import { CircuitBreaker } from './breaker.js';
import { guarded } from './guard.js';
import type { Settled } from './answers.js';

const ok: Settled = {
  ok: true,
  res: { status: 200, headers: {}, body: '' },
  parsed: { data: {} },
};

function observer() {
  const seen: [string, FetchOutcome][] = [];
  const observe = (subgraph: string) => (outcome: FetchOutcome) => seen.push([subgraph, outcome]);
  return { observe, seen };
}

describe('breaker and metrics layer', () => {
  it('counts each fetch with its outcome', async () => {
    const breaker = new CircuitBreaker(5, 1_000);
    const { observe, seen } = observer();
    await guarded(breaker, 'culture', observe, async () => ok);
    await guarded(breaker, 'culture', observe, async () => ({
      ...ok,
      parsed: { errors: [{ message: 'x' }] },
    }));
    await guarded(breaker, 'culture', observe, async () => ({
      ok: false,
      refused: ok.res,
    }));
    await guarded(breaker, 'culture', observe, async () => ({ ok: false }));
    expect(seen.map(([, o]) => o)).toEqual([
      'success',
      'graphql_error',
      'graphql_error',
      'unavailable',
    ]);
  });

  it('answers unavailable at once while the breaker is open, without fetching', async () => {
    let now = 0;
    const breaker = new CircuitBreaker(1, 1_000, undefined, 1_000, () => now);
    await guarded(breaker, 'culture', undefined, async (permit) => {
      permit.failure();
      return { ok: false };
    });
    expect(breaker.current).toBe('open');
    let ran = false;
    const settled = await guarded(breaker, 'culture', undefined, async () => {
      ran = true;
      return ok;
    });
    expect(settled).toEqual({ ok: false, unsent: true }); // a write refused so was certainly not applied;
    expect(ran).toBe(false);
    now = 1_000;
    expect(await guarded(breaker, 'culture', undefined, async () => ok)).toBe(ok);
  });

  it('frees a half-open trial that threw, so the next request can try', async () => {
    let now = 0;
    const breaker = new CircuitBreaker(1, 1_000, undefined, 60_000, () => now);
    breaker.acquire()!.failure();
    now = 1_000;
    await expect(
      guarded(breaker, 'culture', undefined, async () => {
        throw new Error('bug');
      }),
    ).rejects.toThrow('bug');
    expect(breaker.acquire()).toBeDefined();
  });
});
