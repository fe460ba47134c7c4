import { ErrorCode } from './errors.js';

/**
 * The `Idempotency-Key` request header (IETF draft "The Idempotency-Key HTTP Header Field"), as
 * both sides read it: the gateway claims a key per caller across the subgraphs
 * (gateway/operations/key-claims.ts), the subgraph that owns a write stores the key with its
 * result (subgraphs/shared/idempotency.ts). Both must see the same key in the same header, or
 * one spelling would pass the gateway's claim while the subgraph took it for another's.
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * Sent by the gateway with the key on each mutation fetch: the SHA-256 (hex) of the client's whole
 * operation (its mutation fields, their aliases and arguments). The subgraph stores and compares
 * it as the request's fingerprint: a subgraph sees only the fields of one fetch, and one
 * operation may send it several (fields of another subgraph between them), each of which must
 * count as the same request. Without it (a caller of the subgraph itself) the subgraph
 * fingerprints the fields it was sent.
 */
export const IDEMPOTENCY_REQUEST_HEADER = 'x-idempotency-request';

/** The longest key, in characters (after the quotes of the draft's string form are removed). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** How long a key is kept: at least the draft's "24 hours". */
export const IDEMPOTENCY_KEY_TTL_HOURS = 48;

/**
 * The draft's HTTP status of a request refused because of its key, by error code: the key was
 * used before with another request (422), or the first request with it is still running (409).
 * The gateway answers a mutation refused as a whole with it (gateway/operations/idempotency.ts),
 * and passes on a subgraph's 4xx answer only when it is such a refusal with its own status
 * (gateway/upstream/answers.ts).
 */
export const KEY_REFUSAL_STATUS: Readonly<Record<string, number>> = {
  [ErrorCode.IDEMPOTENCY_KEY_REUSED]: 422,
  [ErrorCode.IDEMPOTENCY_KEY_IN_USE]: 409,
};

/**
 * What a refusal because of its key says, by error code: the same words from the subgraph that
 * owns the write and from the gateway, which passes a subgraph's refusal on in these words only.
 */
export const KEY_REFUSAL_MESSAGE: Readonly<Record<string, string>> = {
  [ErrorCode.IDEMPOTENCY_KEY_REUSED]:
    'This Idempotency-Key was already used for a different request; use a new key.',
  [ErrorCode.IDEMPOTENCY_KEY_IN_USE]:
    'A request with this Idempotency-Key is still running; retry later.',
};

const VALID_KEY = new RegExp(`^[\\x20-\\x7e]{1,${MAX_IDEMPOTENCY_KEY_LENGTH}}$`);
/** A bare key: printable ASCII without the characters only the quoted form gives a meaning. */
const BARE_KEY = /^[^",\\]*$/;

/**
 * The text of a Structured Field sf-string (RFC 8941 4.2.5: `"`, printable ASCII with `\"` and
 * `\\` escaped, `"`, nothing after), or null when `raw` is not exactly one.
 */
function sfString(raw: string): string | null {
  let text = '';
  for (let i = 1; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') return i === raw.length - 1 ? text : null;
    if (c === '\\') {
      const escaped = raw[++i];
      if (escaped !== '"' && escaped !== '\\') return null;
      text += escaped;
    } else if (c < ' ' || c > '~') return null;
    else text += c;
  }
  return null;
}

/**
 * The key a header value names, or null when it is malformed. The draft sends the key as a
 * Structured Field sf-string (`"8e03978e-40d5"`, `\"` and `\\` escaped within); a value that
 * starts with `"` must be exactly one (`"abc` unterminated, `"a"b"`, `"a\x"` are malformed: read
 * as bare text they would name a key the client never meant). A bare token (`8e03978e-40d5`) is
 * taken too, and both spell the same key; a bare key holds no `"` or `\` (quote such a key)
 * and no comma: a header sent twice arrives joined by ", " (`k, k`, `"k", "k"`), and read as one
 * value it would name another key than the one the client meant, so a retry that repeats the
 * header would write again. A key is 1 to 255 printable ASCII characters (space to tilde).
 */
export function idempotencyKeyFrom(header: string | string[]): string | null {
  const raw = (Array.isArray(header) ? header.join(', ') : header).trim();
  const key = raw.startsWith('"') ? sfString(raw) : BARE_KEY.test(raw) ? raw : null;
  return key !== null && VALID_KEY.test(key) ? key : null;
}

/**
 * The header value that names `key` (one `idempotencyKeyFrom` read) for the next hop: the key
 * itself where read back it is the same key, else the draft's sf-string. The gateway passed
 * the key on bare, and a key that only the quoted form can spell changed on the way: `" k"`
 * arrived as `k` (HTTP trims a value's outer spaces), another key's, so a write under it was
 * answered that key's result; `"a, b"` arrived as a list, refused by the subgraph.
 */
export function idempotencyHeaderOf(key: string): string {
  return idempotencyKeyFrom(key) === key ? key : `"${key.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * The text a request's fingerprint is the SHA-256 of, on both sides (the gateway's of the whole
 * operation, a subgraph's of the fields it was sent): JSON with object keys sorted and absent or
 * null entries dropped, big integers as their digits — equal values, equal text.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([, x]) => x !== undefined && x !== null)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    }
    return v;
  });
}
