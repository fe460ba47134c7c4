import { describe, expect, it } from 'vitest';
import { AuthError } from '../auth/auth.js';
import type { Identity } from '../context.js';
import { credentials } from './credentials.js';
import { partner, pipelineDeps, request, requestState } from './fixtures.js';

describe('credentials stage', () => {
  it('sets the caller, tells the listener and writes the audit line', async () => {
    const seen: Identity[] = [];
    const state = requestState(request(), { identified: (i) => seen.push(i) });
    const deps = pipelineDeps({ authenticate: async () => ({ ...partner, owner: 'Agency' }) });
    expect(await credentials(state, deps)).toBeUndefined();
    expect(state.identity?.id).toBe('key:partner');
    expect(seen.map((i) => i.id)).toEqual(['key:partner']);
    expect(state.audit).toEqual({
      caller: 'key:partner',
      callerKind: 'api-key',
      callerName: 'partner',
      owner: 'Agency',
    });
  });

  it('lets a credentials failure through to the pipeline (401) before anything is read', async () => {
    const req = request({ body: '{"query":"{ __typename }"}' });
    const deps = pipelineDeps({
      authenticate: async () => {
        throw new AuthError('INVALID_CREDENTIALS', 'Unknown API key.');
      },
    });
    const state = requestState(req);
    await expect(credentials(state, deps)).rejects.toBeInstanceOf(AuthError);
    expect(state.identity).toBeUndefined();
    expect(req.readableEnded).toBe(false);
  });
});
