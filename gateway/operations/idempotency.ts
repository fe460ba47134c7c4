import type { IncomingHttpHeaders } from 'node:http';
import {
  IDEMPOTENCY_HEADER,
  KEY_REFUSAL_STATUS,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  idempotencyKeyFrom,
} from '../../contract/idempotency.js';
import { RequestRejection } from './limits.js';

/**
 * The `Idempotency-Key` request header (IETF draft "The Idempotency-Key HTTP Header Field"). A
 * client sends it with a mutation; the gateway passes the key on the subgraph fetches of
 * that operation that are themselves mutations (never on the entity reads that follow), and the
 * subgraph that owns the write stores it with the write's result. The gateway never retries and
 * never shares a mutation fetch, so a key reaches each subgraph once per client attempt.
 *
 * The subgraphs read the header the same way (contract/idempotency.ts).
 * One key names one write: the subgraph fingerprints the mutation field and its arguments.
 */
/**
 * The validated key of a request (contract/idempotency.ts: its quoted and bare spellings are one
 * key), or undefined when it sends none. A malformed key (empty, longer than 255 characters, not
 * printable ASCII, a quoted value that is not one sf-string, a bare one with `"`, `\` or `,`) is
 * refused with 400 BAD_REQUEST before anything runs.
 */
export function idempotencyKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers[IDEMPOTENCY_HEADER];
  if (raw === undefined) return undefined;
  const key = idempotencyKeyFrom(raw);
  if (key === null) {
    throw new RequestRejection(
      400,
      'BAD_REQUEST',
      `The Idempotency-Key header must be one Structured Field string ("…", with \\" and \\\\ escaped) or a bare key without '"', '\\' or ',': 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters, sent once.`,
    );
  }
  return key;
}

/**
 * The HTTP status of a mutation's answer when the subgraph refused it as a whole because of its
 * key (every error the same key code, no field written): 422 or 409 as in the draft. Undefined
 * otherwise, and for a partial answer (some mutation field did write), which stays 200.
 */
export function keyRefusalStatus(operation: string, body: string): number | undefined {
  if (operation !== 'mutation' || !body.includes('IDEMPOTENCY_KEY_')) return undefined;
  const answer = readMutationAnswer(body);
  if (!answer) return undefined;
  const status = KEY_REFUSAL_STATUS[answer.codes[0]];
  if (status === undefined || answer.codes.some((c) => c !== answer.codes[0])) return undefined;
  return answer.wrote ? undefined : status;
}

/**
 * A mutation answer's error codes, whether any field has data, and whether an error lies below
 * a mutation field (`path` longer than the field's own: raised while answering what a write
 * returned, after it was written); undefined if not JSON.
 */
export function readMutationAnswer(
  body: string,
): { codes: string[]; wrote: boolean; answering: boolean } | undefined {
  let answer: {
    data?: Record<string, unknown> | null;
    errors?: { path?: unknown; extensions?: { code?: unknown } }[];
  };
  try {
    answer = JSON.parse(body) as typeof answer;
  } catch {
    return undefined;
  }
  return {
    codes: (answer.errors ?? []).map((e) => String(e.extensions?.code)),
    wrote: !!answer.data && Object.values(answer.data).some((v) => v !== null),
    answering: (answer.errors ?? []).some((e) => Array.isArray(e.path) && e.path.length > 1),
  };
}
