import { createHmac, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { ErrorCode } from './errors.js';

/**
 * The caller identity the gateway vouches for. The gateway sends
 *
 *   x-gateway-identity: v1.<base64url(JSON {sub, kind, scopes, iat})>.<base64url(HMAC-SHA256)>
 *
 * with the HMAC over `v1.<payload>` keyed by GATEWAY_SHARED_SECRET (gateway/identity-header.ts
 * signs; the two must stay in step). A subgraph reached directly, without the gateway, gets no
 * verified identity, so `requireWriter` refuses its writes.
 */
export interface GatewayIdentity {
  /** Caller id as the gateway knows it (`key:<id>`, `jwt:<sub>`, `anon:<address>`). */
  sub: string;
  kind: string;
  scopes: string[];
  /** When the gateway signed it (ms since epoch). */
  iat: number;
}

export const IDENTITY_HEADER = 'x-gateway-identity';

/** The secret both sides use outside production when GATEWAY_SHARED_SECRET is unset. */
export const DEV_GATEWAY_SHARED_SECRET = 'development-only-gateway-shared-secret-change-me';

/** How old a signed header may be; bounds replays and tolerates clock skew. */
const MAX_AGE_MS = 5 * 60_000;

/** The verified identity of a request, or undefined (absent, forged, stale or malformed). */
export function verifyGatewayIdentity(
  header: string | string[] | undefined,
  secret: string | undefined,
  now = Date.now(),
): GatewayIdentity | undefined {
  if (!secret || typeof header !== 'string') return undefined;
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
    if (Math.abs(now - id.iat) > MAX_AGE_MS) return undefined;
    return id;
  } catch {
    return undefined;
  }
}

/**
 * Call first in every mutation resolver: throws UNAUTHENTICATED unless the request carries an
 * identity signed by the gateway, and FORBIDDEN unless that identity holds `scope`. The
 * subgraph's context exposes the verified identity as `identity` (from RequestInfo.identity).
 */
export function requireWriter(ctx: { identity?: GatewayIdentity }, scope: string): GatewayIdentity {
  const id = ctx.identity;
  if (!id || id.kind === 'anonymous') {
    throw new GraphQLError('Writes must come through the gateway with credentials.', {
      extensions: { code: ErrorCode.UNAUTHENTICATED },
    });
  }
  if (!id.scopes.includes(scope)) {
    throw new GraphQLError(`This write needs the scope \`${scope}\`.`, {
      extensions: { code: ErrorCode.FORBIDDEN },
    });
  }
  return id;
}
