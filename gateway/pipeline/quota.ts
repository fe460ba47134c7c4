import type { Identity } from '../context.js';
import { errorBody } from '../http.js';
import { json, type Reply } from './reply.js';
import type { PipelineDeps, RequestStage } from './types.js';
import { need } from './types.js';

/** One unit of the caller's rate limit and daily quota; a 429 with Retry-After when refused. */
export async function spend(deps: PipelineDeps, identity: Identity): Promise<Reply | undefined> {
  const decision = await deps.consumeQuota(identity.id, identity.quota);
  if (decision.allowed) return undefined;
  const message =
    decision.code === 'QUOTA_EXCEEDED'
      ? 'The daily quota of these credentials is used up.'
      : 'Too many requests; slow down.';
  return json(429, errorBody(message, decision.code!), {
    'retry-after': String(decision.retryAfter),
  });
}

/** Stage 3: the request counts against the caller's rate limit and quota before it is read. */
export const quota: RequestStage = (state, deps) => spend(deps, need(state.identity, 'identity'));
