import { describe, expect, it } from 'vitest';
import { partner, pipelineDeps, request, requestState } from './fixtures.js';
import { admit, quota, spend } from './quota.js';

describe('quota stage', () => {
  it('counts each request once its body is read, and answers 429 with Retry-After past the limit', async () => {
    const deps = pipelineDeps();
    const identity = { ...partner, id: `key:${Math.random()}`, quota: { perMinute: 2, perDay: 0 } };
    const state = requestState(request(), { identity, raw: { query: '{ a }' } });
    expect(await admit(state, deps)).toBeUndefined();
    // The stage before the body only checks: it never counts.
    for (let i = 0; i < 3; i++) expect(await quota(state, deps)).toBeUndefined();
    expect(await admit(state, deps)).toBeUndefined();
    for (const refused of [await quota(state, deps), await admit(state, deps)]) {
      expect(refused?.status).toBe(429);
      expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(refused!.body).errors[0]).toEqual({
        message: 'Too many requests; slow down.',
        extensions: { code: 'RATE_LIMITED' },
      });
    }
  });

  it('counts a batch as its operations, in one step, all or none', async () => {
    const deps = pipelineDeps({}, { MAX_BATCH_SIZE: '5' });
    const identity = { ...partner, id: `key:${Math.random()}`, quota: { perMinute: 0, perDay: 5 } };
    const batch = (n: number) =>
      requestState(request(), { identity, raw: Array.from({ length: n }, () => ({})) });
    expect(await admit(batch(3), deps)).toBeUndefined();
    expect((await admit(batch(3), deps))?.status).toBe(429);
    expect(await admit(batch(2), deps)).toBeUndefined();
    expect((await admit(batch(1), deps))?.status).toBe(429);
  });

  it('says the daily quota is used up when it is', async () => {
    const deps = pipelineDeps();
    const identity = { ...partner, id: `key:${Math.random()}`, quota: { perMinute: 0, perDay: 1 } };
    expect(await spend(deps, identity)).toBeUndefined();
    const refused = await spend(deps, identity);
    expect(JSON.parse(refused!.body).errors[0].extensions.code).toBe('QUOTA_EXCEEDED');
  });

  it('needs the credentials stage first', async () => {
    await expect(async () => quota(requestState(request()), pipelineDeps())).rejects.toThrow(
      /identity/,
    );
  });
});
