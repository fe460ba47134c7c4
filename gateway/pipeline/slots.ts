import { CONCURRENCY_RETRY_AFTER_S } from '../caller-slots.js';
import { errorBody } from '../http.js';
import { json } from './reply.js';
import type { RequestStage } from './types.js';

/**
 * Stage 3: the caller has a slot for this request while it is answered, or 429
 * `CONCURRENCY_LIMITED` with Retry-After before anything is counted or read. A CSV download's
 * pages take one each, as the requests they are; an export's pages hold export slots instead
 * (EXPORT_MAX_PER_CALLER), so a running export is never cut for the caller's /graphql traffic.
 */
export const slots: RequestStage = (state, deps) => {
  if (!deps.callerSlots || state.internal?.ownSlots || !state.identity) return undefined;
  const release = deps.callerSlots.take(state.identity.id);
  if (release) {
    state.releaseSlot = release;
    return undefined;
  }
  const max = deps.config.maxInFlightPerCaller;
  return json(
    429,
    errorBody(
      `${max} requests of these credentials are being answered; wait for one before sending more.`,
      'CONCURRENCY_LIMITED',
    ),
    { 'retry-after': String(CONCURRENCY_RETRY_AFTER_S) },
  );
};
