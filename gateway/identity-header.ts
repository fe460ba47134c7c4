import { createHmac } from 'node:crypto';
import type { Identity } from './auth.js';

/**
 * The identity the gateway vouches for, sent to subgraphs so a subgraph reached directly is not
 * an open door. Format (subgraphs/shared/identity.ts verifies it, and must stay in step):
 *
 *   x-gateway-identity: v1.<base64url(JSON {sub, kind, scopes, iat})>.<base64url(HMAC-SHA256)>
 *
 * The HMAC covers `v1.<payload>` with GATEWAY_SHARED_SECRET; `iat` is in milliseconds and
 * subgraphs refuse headers older than a few minutes.
 */
export const IDENTITY_HEADER = 'x-gateway-identity';

export function signIdentity(identity: Identity, secret: string, now = Date.now()): string {
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
