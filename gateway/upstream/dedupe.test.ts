import { describe, expect, it } from 'vitest';
import { InFlight, scopeKey } from './dedupe.js';

const deferred = () => {
  let resolve!: (v: string) => void;
  const promise = new Promise<string>((r) => (resolve = r));
  return { promise, resolve };
};

describe('deduplication layer', () => {
  it('shares one fetch between identical concurrent calls, and only while it is in flight', async () => {
    const hits: boolean[] = [];
    const inFlight = new InFlight<string>((_, hit) => hits.push(hit));
    let started = 0;
    const gate = deferred();
    const start = () => {
      started++;
      return gate.promise;
    };
    const a = inFlight.share('k', start);
    const b = inFlight.share('k', start);
    const other = inFlight.share('other', start);
    expect(started).toBe(2);
    gate.resolve('answer');
    expect(await Promise.all([a, b, other])).toEqual(['answer', 'answer', 'answer']);
    expect(hits).toEqual([false, true, false]);
    expect(inFlight.size).toBe(0);
    await inFlight.share('k', start);
    expect(started).toBe(3);
  });

  it('forgets a failed fetch, so the next call tries again', async () => {
    const inFlight = new InFlight<string>();
    await expect(inFlight.share('k', () => Promise.reject(new Error('down')))).rejects.toThrow();
    expect(await inFlight.share('k', async () => 'up')).toBe('up');
  });

  it('shares between callers with the same authorization only', () => {
    const base = {
      kind: 'api-key' as const,
      id: 'a',
      authenticated: true,
      quota: { perMinute: 0, perDay: 0 },
      trustedDocumentsOnly: false,
    };
    const a = scopeKey({ ...base, scopes: ['x', 'y'] });
    expect(scopeKey({ ...base, id: 'b', scopes: ['y', 'x'] })).toBe(a);
    expect(scopeKey({ ...base, scopes: ['x'] })).not.toBe(a);
    expect(scopeKey({ ...base, authenticated: false, scopes: ['x', 'y'] })).not.toBe(a);
    expect(scopeKey(undefined)).toBe('-');
  });
});
