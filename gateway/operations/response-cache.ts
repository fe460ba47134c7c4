import type { Redis } from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { occasionally } from '../redis.js';
import type { Identity } from '../context.js';
import {
  MemoryStore,
  RedisStore,
  type CachedResponse,
  type Gens,
  type Store,
} from './response-cache-stores.js';
import { authorizationKey } from './operation-cache.js';
import { cacheHintOf } from '../upstream/unavailable.js';

/**
 * Whole responses of queries, kept for as long as the subgraphs' cache hints allow. Apollo
 * Server's cache-control plugin turns the hints of every subgraph fetch (their `Cache-Control`
 * headers) into the response's policy: the smallest max-age, PRIVATE if any part is private,
 * nothing cacheable when a fetch had no hint or the response has errors. This cache honours it:
 *
 * - PUBLIC answers are shared only by callers of the same authorization (authenticated or not,
 *   same scope set), since fields are removed per caller before planning;
 * - PRIVATE answers are kept per authenticated caller, never for anonymous ones;
 * - mutations are never cached, and a mutation through this gateway invalidates every cached
 *   answer that used data of a subgraph it wrote to (per-subgraph generations);
 * - while a write to a subgraph is in flight, or its outcome is unknown (its fetch timed out or
 *   failed without an answer: the subgraph may commit later), answers that used the subgraph are
 *   neither served nor kept, until the write's mark lapses (WRITE_MARK_MS);
 * - a new supergraph starts a new key space.
 *
 * In memory (LRU bounded by bytes) by default, in Redis (shared by replicas) when configured.
 */
export type { CachedResponse };

export interface ResponseCacheQuery {
  schemaVersion: string;
  documentHash: string;
  operationName: string | undefined;
  variables: unknown;
  identity: Identity;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/**
 * How long a write's mark outlives the fetch's own deadline: the time a subgraph gets to commit
 * a write after the gateway gave up on it (or died), during which its answers are not cached.
 */
export const WRITE_MARK_MS = 60_000;

/** Computed at the generations now, and of no subgraph a write is in flight to. */
function fresh(entry: CachedResponse, gens: Gens, writing: Set<string>): boolean {
  for (const [subgraph, gen] of Object.entries(entry.gens)) {
    if ((gens[subgraph] ?? 0) !== gen || writing.has(subgraph)) return false;
  }
  return true;
}

export function createResponseCache(opts: {
  mode: 'off' | 'memory' | 'redis';
  redis?: Redis;
  maxBytes: number;
  logger: Logger;
  recordCache?: (cache: string, hit: boolean) => void;
  prefix?: string;
  /** The subgraphs whose generations are bumped after a reconnection (RedisStore). */
  subgraphs?: () => Iterable<string>;
}) {
  if (opts.mode === 'off') return undefined;
  const store: Store =
    opts.mode === 'redis'
      ? new RedisStore(
          opts.redis!,
          opts.prefix ?? 'rdsg:response-cache',
          opts.subgraphs ?? (() => []),
        )
      : new MemoryStore(opts.maxBytes);
  const warn = occasionally(opts.logger); // not a line per request while Redis is down
  const failed = (err: unknown, what: string) =>
    warn({ err }, `response cache ${what} failed; answering without it`);

  // Invalidations the store missed (Redis down): made before this replica reads the cache
  // again, so answers kept from before the write are not served once Redis is back.
  const pending = new Set<string>();
  const bumpPending = async () => {
    if (pending.size === 0) return;
    const list = [...pending];
    await store.bump(list);
    for (const s of list) pending.delete(s);
  };

  const keysOf = (q: ResponseCacheQuery) => {
    const base = [
      q.schemaVersion,
      q.documentHash,
      q.operationName ?? '',
      authorizationKey(q.identity),
      JSON.stringify(q.variables ?? {}),
    ].join('\n');
    return {
      shared: sha256(base),
      own: q.identity.authenticated ? sha256(`${base}\n${q.identity.id}`) : undefined,
    };
  };

  return {
    /**
     * A cached answer for this caller, if any, and the subgraph generations seen now (to pass to
     * `store`: a mutation that lands while the query runs makes the stored answer stale at once).
     */
    async lookup(
      q: ResponseCacheQuery,
    ): Promise<{ hit?: CachedResponse; gens?: Gens; writing?: ReadonlySet<string> }> {
      const { shared, own } = keysOf(q);
      try {
        await bumpPending();
        const { entries, gens, writing } = await store.get(own ? [shared, own] : [shared]);
        const hit = entries.find((e) => e && fresh(e, gens, writing));
        opts.recordCache?.('response', hit !== undefined);
        return { hit, gens, writing };
      } catch (err) {
        failed(err, 'lookup');
        return {};
      }
    },

    /**
     * Keeps an answer if its policy allows: `cacheControl` is the response's header, `subgraphs`
     * the subgraphs it read, `gensAtLookup` and `writingAtLookup` what `lookup` returned. An
     * answer that read a subgraph a write was in flight to may hold the state from before it
     * commits: it is not kept.
     */
    async store(
      q: ResponseCacheQuery,
      body: string,
      cacheControl: string | undefined,
      subgraphs: Iterable<string>,
      gensAtLookup: Gens | undefined,
      writingAtLookup?: ReadonlySet<string>,
    ): Promise<void> {
      if (!gensAtLookup) return; // the lookup failed: the store is not answering
      const read = [...subgraphs];
      if (read.some((s) => writingAtLookup?.has(s))) return;
      const hint = cacheHintOf(cacheControl);
      if (!hint.maxAge || hint.maxAge <= 0) return;
      const { shared, own } = keysOf(q);
      const key = hint.scope === 'PRIVATE' ? own : shared;
      if (!key) return; // private answers of anonymous callers are never kept
      const gens: Gens = {};
      for (const s of read) gens[s] = gensAtLookup[s] ?? 0;
      try {
        const ttlMs = hint.maxAge * 1000;
        const entry = { body, cacheControl: cacheControl!, gens, expiresAt: Date.now() + ttlMs };
        await store.set(key, entry, ttlMs);
      } catch (err) {
        failed(err, 'store');
      }
    },

    /**
     * A mutation fetch to `subgraph` is about to be sent. Until it has answered, no replica
     * sharing the store serves an answer that used the subgraph: the subgraph may commit at any
     * moment, and a caller told of the change at once (the change feed lists it on commit) must
     * not be answered from before it. Returns what to call once the fetch has answered or failed:
     * the subgraph's generation moves. A fetch that failed without the subgraph's answer (a
     * timeout, a connection lost) has an unknown outcome: the subgraph may still commit, after
     * the gateway answered, so the mark is kept until it lapses: WRITE_MARK_MS after the fetch's
     * deadline (`answerWithinMs` from now), not after it was sent, so that a subgraph timeout near
     * or above WRITE_MARK_MS still leaves the mark standing once the caller was told the outcome
     * is unknown. Never fails the write.
     */
    async beginWrite(
      subgraph: string,
      answerWithinMs = 0,
    ): Promise<(answered: boolean) => Promise<void>> {
      const id = randomUUID();
      try {
        await store.beginWrite(subgraph, id, Date.now() + answerWithinMs + WRITE_MARK_MS);
      } catch (err) {
        failed(err, 'write mark');
      }
      return async (answered: boolean) => {
        try {
          await store.endWrite(subgraph, id, !answered);
        } catch (err) {
          pending.add(subgraph);
          failed(err, 'invalidation');
        }
      };
    },

    /** After a mutation: answers that used these subgraphs' data are stale. */
    async invalidate(subgraphs: Iterable<string>): Promise<void> {
      const list = [...subgraphs];
      if (list.length === 0) return;
      try {
        await store.bump(list);
      } catch (err) {
        for (const s of list) pending.add(s);
        failed(err, 'invalidation');
      }
    },
  };
}

export type ResponseCache = NonNullable<ReturnType<typeof createResponseCache>>;

/**
 * A hit's Cache-Control: its max-age is what is left of it (whole seconds, rounded down). An
 * answer kept 50 s of its 60 told as `max-age=60` again let a client or a shared HTTP cache keep
 * it 60 s more, two minutes after the subgraphs computed it.
 */
export function cacheControlOfHit(hit: CachedResponse, now = Date.now()): string {
  if (hit.expiresAt === undefined) return hit.cacheControl;
  const left = Math.max(0, Math.floor((hit.expiresAt - now) / 1000));
  return hit.cacheControl.replace(/\bmax-age=\d+/i, `max-age=${left}`);
}
