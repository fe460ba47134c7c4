import { describe, expect, it } from 'vitest';
import { partner, pipelineDeps, request, requestState } from './fixtures.js';
import { quota, spend } from './quota.js';

describe('quota stage', () => {
  it('counts each request and answers 429 with Retry-After past the limit', async () => {
    const deps = pipelineDeps();
    const identity = { ...partner, id: `key:${Math.random()}`, quota: { perMinute: 2, perDay: 0 } };
    const state = requestState(request(), { identity });
    expect(await quota(state, deps)).toBeUndefined();
    expect(await quota(state, deps)).toBeUndefined();
    const refused = await quota(state, deps);
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(refused!.body).errors[0]).toEqual({
      message: 'Too many requests; slow down.',
      extensions: { code: 'RATE_LIMITED' },
    });
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
