import type { Identity } from '../context.js';
import { errorBody } from '../http.js';
import { json, type Reply } from './reply.js';
import type { PipelineDeps, RequestStage, RequestState } from './types.js';
import { need } from './types.js';

/**
 * `units` of the caller's rate limit and daily quota, all or none; a 429 with Retry-After when
 * refused. When `state` is given, what was admitted can be given back (`state.releaseQuota`).
 */
export async function spend(
  deps: PipelineDeps,
  identity: Identity,
  units = 1,
  state?: RequestState,
): Promise<Reply | undefined> {
  const decision = await deps.consumeQuota(identity.id, identity.quota, units);
  if (decision.allowed) {
    if (state) state.releaseQuota = decision.release;
    return undefined;
  }
  const message =
    decision.code === 'QUOTA_EXCEEDED'
      ? 'The daily quota of these credentials is used up.'
      : 'Too many requests; slow down.';
  return json(429, errorBody(message, decision.code!), {
    'retry-after': String(decision.retryAfter),
  });
}

/** Stage 3: the request counts against the caller's rate limit and quota before it is read. */
export const quota: RequestStage = (state, deps) =>
  spend(deps, need(state.identity, 'identity'), 1, state);
