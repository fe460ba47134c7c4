import { CONCURRENCY_RETRY_AFTER_S } from '../caller-slots.js';
import { errorBody } from '../http.js';
import { json } from './reply.js';
import type { RequestStage } from './types.js';

/**
 * Stage 3: the caller has a slot for this request while it is answered, or 429
 * `CONCURRENCY_LIMITED` with Retry-After before anything is counted or read. Operations the
 * gateway runs for a caller (CSV and export pages) are bounded by their own limits.
 */
export const slots: RequestStage = (state, deps) => {
  if (!deps.callerSlots || state.internal || !state.identity) return undefined;
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
