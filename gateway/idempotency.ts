import type { IncomingHttpHeaders } from 'node:http';
import { RequestRejection } from './limits.js';

/**
 * The `Idempotency-Key` request header (IETF draft "The Idempotency-Key HTTP Header Field"). A
 * client sends it with a mutation; the gateway passes it, unchanged, on the subgraph fetches of
 * that operation that are themselves mutations (never on the entity reads that follow), and the
 * subgraph that owns the write stores it with the write's result. The gateway never retries and
 * never shares a mutation fetch, so a key reaches each subgraph once per client attempt.
 *
 * The subgraphs read the same name (subgraphs/shared/idempotency.ts); the two must stay in step.
 * One key names one write: the subgraph fingerprints the mutation field and its arguments.
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Printable ASCII (space to tilde), 1 to 255 characters. */
const VALID_KEY = /^[\x20-\x7e]{1,255}$/;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/**
 * The validated key of a request, or undefined when it sends none. A malformed key (empty,
 * longer than 255 characters, not printable ASCII) is refused with 400
 * BAD_REQUEST before anything runs.
 */
export function idempotencyKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers[IDEMPOTENCY_HEADER];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !VALID_KEY.test(raw)) {
    throw new RequestRejection(
      400,
      'BAD_REQUEST',
      `The Idempotency-Key header must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters.`,
    );
  }
  return raw;
}
