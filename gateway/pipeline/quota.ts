import type { Identity } from '../context.js';
import { errorBody } from '../http.js';
import { RequestRejection } from '../operations/limits.js';
import { json, type Reply } from './reply.js';
import type { PipelineDeps, RequestStage } from './types.js';
import { need } from './types.js';

/**
 * `units` of the caller's rate limit and daily quota, all or none; a 429 with Retry-After when
 * refused. With `check`, nothing is counted: only whether they would be admitted now.
 */
export async function spend(
  deps: PipelineDeps,
  identity: Identity,
  units = 1,
  check = false,
): Promise<Reply | undefined> {
  const decision = await deps.consumeQuota(identity.id, identity.quota, units, { check });
  if (decision.allowed) return undefined;
  const message =
    decision.code === 'QUOTA_EXCEEDED'
      ? 'The daily quota of these credentials is used up.'
      : 'Too many requests; slow down.';
  return json(429, errorBody(message, decision.code!), {
    'retry-after': String(decision.retryAfter),
  });
}

/**
 * Before the body stage: a caller whose rate limit or quota is used up is refused before its body is read.
 * Nothing is counted yet: a unit held here while the body is read, and given back when the
 * batch it came with did not fit, refused concurrent batches that did (admit).
 */
export const quota: RequestStage = (state, deps) =>
  spend(deps, need(state.identity, 'identity'), 1, true);

/**
 * Refuses a batch (a JSON array) that can never run: batching off, empty, over MAX_BATCH_SIZE,
 * or more operations than a whole window of the caller's holds (a 429 would send it back after
 * Retry-After for ever). `counted`: whether the refusal counts as a request.
 */
function batchRefusal(
  raw: unknown[],
  identity: Identity,
  max: number,
): { rejection: RequestRejection; counted: boolean } | undefined {
  const refuse = (code: string, message: string, counted = true) => ({
    rejection: new RequestRejection(400, code, message),
    counted,
  });
  if (max === 0) return refuse('BATCHING_NOT_ALLOWED', 'Batching is off.');
  if (raw.length === 0) return refuse('BAD_REQUEST', 'An empty batch.');
  if (raw.length > max) {
    return refuse('BATCH_TOO_LARGE', `A batch holds at most ${max} operations.`);
  }
  const windows = [identity.quota.perMinute, identity.quota.perDay].filter((n) => n > 0);
  const most = Math.min(...windows);
  if (raw.length <= most) return undefined;
  const message = `A batch of these credentials holds at most ${most} operations (its rate limit or quota).`;
  return refuse('BATCH_TOO_LARGE', message, false);
}

/**
 * After the body stage: the request's operations (one, or each of a batch) are
 * counted in one step, all or none, so a quota of N admits N operations whatever runs at the
 * same time. A batch that can never run is refused (400) counting one unit, as any request
 * refused for its body, or none when it is larger than a whole window of the caller's.
 */
export const admit: RequestStage = async (state, deps) => {
  const identity = need(state.identity, 'identity');
  if (!Array.isArray(state.raw)) return spend(deps, identity, 1);
  const refused = batchRefusal(state.raw, identity, deps.config.limits.maxBatchSize);
  if (!refused) return spend(deps, identity, state.raw.length);
  if (refused.counted) await spend(deps, identity, 1);
  throw refused.rejection;
};
