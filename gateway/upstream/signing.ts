import { IDENTITY_HEADER, signIdentity } from '../../contract/identity.js';
import type { GatewayContext, Identity } from '../context.js';
import { injectTraceContext } from '../observability/tracing.js';

/** Identity headers are re-signed after this long (subgraphs accept them for 5 minutes). */
export const SIGNATURE_TTL_MS = 30_000;
const MAX_SIGNATURES = 10_000;

/**
 * The signing and tracing layer: the headers of every fetch to a subgraph. The request id, the
 * caller's identity signed with the shared secret (contract/identity.ts; one HMAC per caller
 * every SIGNATURE_TTL_MS, not one per fetch), and the trace context of the active span.
 */
export class RequestHeaders {
  private readonly signatures = new Map<string, { value: string; until: number }>();

  constructor(
    private readonly sharedSecret: string,
    private readonly now: () => number = Date.now,
  ) {}

  for(context: GatewayContext | undefined): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (context?.requestId) headers['x-request-id'] = context.requestId;
    if (context?.identity) headers[IDENTITY_HEADER] = this.signed(context.identity);
    // Observability: continue the trace (the active span is the engine's fetch span).
    injectTraceContext({ set: (name, value) => (headers[name] = value) });
    return headers;
  }

  /** The identity header, re-used for a while per caller. */
  signed(identity: Identity): string {
    const key = `${identity.kind}\n${identity.id}\n${identity.scopes.join(' ')}`;
    const now = this.now();
    const known = this.signatures.get(key);
    if (known && known.until > now) return known.value;
    if (this.signatures.size >= MAX_SIGNATURES) this.signatures.clear();
    const value = signIdentity(identity, this.sharedSecret, now);
    this.signatures.set(key, { value, until: now + SIGNATURE_TTL_MS });
    return value;
  }
}
