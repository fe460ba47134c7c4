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
  /** The fingerprint of the whole operation sent with the key (requestFingerprint). */
  idempotencyRequest?: string;
  /**
   * The response cache's generation of each subgraph when this request looked the cache up
   * (response-cache.ts): a subgraph fetch is shared only between requests that saw the same one,
   * so one that starts after a write was acknowledged, on any replica sharing the cache, never
   * joins a fetch that began before it (dedupe.ts).
   */
  cacheGenerations?: Readonly<Record<string, number>>;
  /**
   * A read of record (an export page): it neither reads the response cache nor joins another
   * request's fetch in flight, which may have begun before a write the caller was told of.
   */
  ownFetches?: boolean;
}
