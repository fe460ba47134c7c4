import type { Identity } from '../context.js';

/** What two callers must share for one subgraph answer to serve both. */
export function scopeKey(identity: Identity | undefined): string {
  if (!identity) return '-';
  return `${identity.authenticated ? 'auth' : 'anon'}:${[...identity.scopes].sort().join(' ')}`;
}

/**
 * The deduplication layer: identical concurrent fetches (same body, callers with the same
 * authorization) share one. A fetch is shared only while it is in flight; the next one after
 * it settles goes to the subgraph again.
 */
export class InFlight<T> {
  private readonly fetches = new Map<string, Promise<T>>();

  constructor(private readonly recordCache?: (cache: string, hit: boolean) => void) {}

  async share(key: string, start: () => Promise<T>): Promise<T> {
    const shared = this.fetches.get(key);
    this.recordCache?.('subgraph_fetch_dedup', shared !== undefined);
    if (shared) return shared;
    const started = start();
    this.fetches.set(key, started);
    try {
      return await started;
    } finally {
      this.fetches.delete(key);
    }
  }

  get size(): number {
    return this.fetches.size;
  }
}
