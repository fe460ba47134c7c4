import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The caller identity the gateway vouches for, sent with every subgraph fetch so a subgraph
 * reached directly is not an open door:
 *
 *   x-gateway-identity: v1.<base64url(JSON {sub, kind, scopes, iat})>.<base64url(HMAC-SHA256)>
 *
 * The HMAC covers `v1.<payload>` keyed by GATEWAY_SHARED_SECRET; `iat` is in milliseconds and
 * subgraphs refuse headers older than MAX_IDENTITY_AGE_MS. The gateway signs
 * (gateway/upstream/signing.ts), the subgraphs verify (subgraphs/shared/server.ts); both use this file.
 */
export const IDENTITY_HEADER = 'x-gateway-identity';

/** The secret both sides use outside production when GATEWAY_SHARED_SECRET is unset. */
export const DEV_GATEWAY_SHARED_SECRET = 'development-only-gateway-shared-secret-change-me';

/** How old a signed header may be; bounds replays and tolerates clock skew. */
export const MAX_IDENTITY_AGE_MS = 5 * 60_000;

/** The identity a subgraph reads from a verified header. */
export interface GatewayIdentity {
  /** Caller id as the gateway knows it (`key:<id>`, `jwt:<sub>`, `anon:<address>`). */
  sub: string;
  kind: string;
  scopes: string[];
  /** When the gateway signed it (ms since epoch). */
  iat: number;
}

/** What the gateway signs: its caller's id, kind and scopes. */
export interface SignableIdentity {
  id: string;
  kind: string;
  scopes: readonly string[];
}

/** The header value vouching for `identity`, signed with `secret` at `now`. */
export function signIdentity(identity: SignableIdentity, secret: string, now = Date.now()): string {
  const payload = Buffer.from(
    JSON.stringify({
      sub: identity.id,
      kind: identity.kind,
      scopes: identity.scopes,
      iat: now,
    }),
    'utf8',
  ).toString('base64url');
  const mac = createHmac('sha256', secret).update(`v1.${payload}`).digest('base64url');
  return `v1.${payload}.${mac}`;
}

/**
 * Headers whose MAC checked out, with what they carry. The gateway re-signs a caller's identity
 * only every 30 s (gateway/upstream/signing.ts), so one header comes with many fetches, and an
 * HMAC in a busy subgraph costs tens of µs a request (about 10 % of a small `_entities` fetch,
 * bench/notes.md). Only verified headers are kept, so forged ones cannot fill it; the age check
 * still runs on every request. Oldest first out beyond VERIFIED_MAX.
 */
const verified = new Map<string, { secret: string; identity: GatewayIdentity }>();
const VERIFIED_MAX = 1024;

/**
 * The verified identity of a request, or undefined (absent, forged, stale or malformed). Several
 * secrets are tried in turn: the current one and, while it is being rotated, the previous one.
 */
export function verifyGatewayIdentity(
  header: string | string[] | undefined,
  secrets: string | readonly (string | undefined)[] | undefined,
  now = Date.now(),
): GatewayIdentity | undefined {
  const keys = (typeof secrets === 'string' ? [secrets] : (secrets ?? [])).filter(
    (s): s is string => !!s,
  );
  if (keys.length === 0 || typeof header !== 'string') return undefined;
  const known = verified.get(header);
  let id = known && keys.includes(known.secret) ? known.identity : undefined;
  for (const secret of id ? [] : keys) {
    id = verifySignature(header, secret);
    if (!id) continue;
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(header, { secret, identity: id });
    break;
  }
  if (!id) return undefined;
  return Math.abs(now - id.iat) > MAX_IDENTITY_AGE_MS ? undefined : id;
}

/** The identity a header carries if its MAC is right and its payload well formed (frozen: shared). */
function verifySignature(header: string, secret: string): GatewayIdentity | undefined {
  const parts = header.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1') return undefined;
  const expected = createHmac('sha256', secret).update(`v1.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const id = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as GatewayIdentity;
    if (typeof id.sub !== 'string' || !Array.isArray(id.scopes) || typeof id.iat !== 'number') {
      return undefined;
    }
    Object.freeze(id.scopes);
    return Object.freeze(id);
  } catch {
    return undefined;
  }
}
