/**
 * What every part of the gateway may know about a request: who is calling and the request's own
 * state. At the bottom of the gateway's imports: it imports nothing, so anything may import it.
 */
export interface Quota {
  /** Requests per rolling minute window; 0 = unlimited. */
  perMinute: number;
  /** Requests per UTC day; 0 = unlimited. */
  perDay: number;
}

/** Who is calling. `id` is what quotas and the audit log are keyed by; never a secret. */
export interface Identity {
  kind: 'anonymous' | 'api-key' | 'jwt';
  id: string;
  /** Key name or JWT subject, for the audit trail. */
  name?: string;
  owner?: string;
  authenticated: boolean;
  scopes: string[];
  quota: Quota;
  trustedDocumentsOnly: boolean;
}

/** The per-request context of the engine, the data sources and the pipeline. */
export interface GatewayContext {
  requestId: string;
  identity?: Identity;
  /** Filled in with the subgraphs the request fetched from (response cache invalidation). */
  subgraphs?: Set<string>;
  /** The client's validated `Idempotency-Key` of a mutation (idempotency.ts). */
  idempotencyKey?: string;
}
