import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { occasionally } from '../redis.js';
import type { Identity } from '../context.js';
import { Lru } from './lru.js';
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
 * - a new supergraph starts a new key space.
 *
 * In memory (LRU bounded by bytes) by default, in Redis (shared by replicas) when configured.
 */
export interface CachedResponse {
  body: string;
  /** The response's Cache-Control, as sent the first time. */
  cacheControl: string;
  /** Subgraph → generation when the answer was computed. */
  gens: Record<string, number>;
}

export interface ResponseCacheQuery {
  schemaVersion: string;
  documentHash: string;
  operationName: string | undefined;
  variables: unknown;
  identity: Identity;
}

interface Store {
  get(keys: string[]): Promise<{ entries: (CachedResponse | undefined)[]; gens: Gens }>;
  set(key: string, value: CachedResponse, ttlMs: number): Promise<void>;
  bump(subgraphs: string[]): Promise<void>;
}

type Gens = Record<string, number>;

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

class MemoryStore implements Store {
  private readonly entries: Lru<string, { value: CachedResponse; expires: number; bytes: number }>;
  private readonly gens: Gens = {};
  private bytes = 0;

  constructor(private readonly maxBytes: number) {
    // The byte bound is enforced below; the entry bound only keeps the map itself small.
    this.entries = new Lru(1_000_000);
  }

  async get(keys: string[]) {
    const now = Date.now();
    const entries = keys.map((key) => {
      const e = this.entries.get(key);
      if (!e) return undefined;
      if (e.expires > now) return e.value;
      this.remove(key);
      return undefined;
    });
    return { entries, gens: { ...this.gens } };
  }

  async set(key: string, value: CachedResponse, ttlMs: number) {
    const bytes = 2 * (value.body.length + key.length) + 200;
    if (bytes > this.maxBytes / 10) return; // one huge answer must not flush the cache
    this.remove(key);
    this.entries.set(key, { value, expires: Date.now() + ttlMs, bytes });
    this.bytes += bytes;
    while (this.bytes > this.maxBytes) {
      const oldest = this.entries.oldestKey();
      if (oldest === undefined) break;
      this.remove(oldest);
    }
  }

  async bump(subgraphs: string[]) {
    for (const s of subgraphs) this.gens[s] = (this.gens[s] ?? 0) + 1;
  }

  private remove(key: string) {
    const e = this.entries.peek(key);
    if (!e) return;
    this.bytes -= e.bytes;
    this.entries.delete(key);
  }
}

/**
 * Moves every generation (the hash's own fields and the subgraphs named after ARGV[1]) ahead by
 * ARGV[1], a random step: a generation rolled back by more writes than the replicas bump would,
 * by 1 each, land on values queries still running have seen.
 */
const BUMP_ALL = `
local names = {}
for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do names[f] = true end
for i = 2, #ARGV do names[ARGV[i]] = true end
for f, _ in pairs(names) do redis.call('HINCRBY', KEYS[1], f, ARGV[1]) end
return 1`;

/** A step of 2^20 to 2^32: 2^21 reconnections before a generation leaves the safe integers. */
const reconnectStep = () => String(2 ** 20 + Math.floor(Math.random() * (2 ** 32 - 2 ** 20)));

class RedisStore implements Store {
  /**
   * Connections lost so far, and the count when every generation was last bumped. Redis that
   * comes back may have come back from a snapshot, an AOF missing its last writes, or a replica
   * promoted: its generations rolled back together with the answers cached under them, which
   * would look fresh again though writes were acknowledged since. So after every (re)connection,
   * before this replica reads the cache, every generation moves ahead by a random step: what was
   * cached before is stale, and so is what a query that began before stores after. The price: an empty cache after a gateway start or a Redis blip.
   */
  private closes = 0;
  private bumpedAt = -1;
  private bumping: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly subgraphs: () => Iterable<string>,
  ) {
    redis.on('close', () => (this.closes += 1));
  }

  private async bumpAfterReconnect(): Promise<void> {
    while (this.bumpedAt !== this.closes) {
      const at = this.closes;
      this.bumping ??= this.redis
        .eval(BUMP_ALL, 1, `${this.prefix}:gen`, reconnectStep(), ...this.subgraphs())
        .then(() => {
          this.bumpedAt = Math.max(this.bumpedAt, at);
        })
        .finally(() => (this.bumping = undefined));
      await this.bumping;
    }
  }

  async get(keys: string[]) {
    await this.bumpAfterReconnect();
    const multi = this.redis.multi();
    for (const key of keys) multi.get(`${this.prefix}:r:${key}`);
    multi.hgetall(`${this.prefix}:gen`);
    const res = (await multi.exec()) ?? [];
    const entries = keys.map((_, i) => {
      const raw = res[i]?.[1];
      return typeof raw === 'string' ? (JSON.parse(raw) as CachedResponse) : undefined;
    });
    const rawGens = (res[keys.length]?.[1] ?? {}) as Record<string, string>;
    const gens = Object.fromEntries(Object.entries(rawGens).map(([k, v]) => [k, Number(v)]));
    return { entries, gens };
  }

  async set(key: string, value: CachedResponse, ttlMs: number) {
    const text = JSON.stringify(value);
    if (text.length > 1_000_000) return;
    await this.redis.set(`${this.prefix}:r:${key}`, text, 'PX', ttlMs);
  }

  async bump(subgraphs: string[]) {
    const multi = this.redis.multi();
    for (const s of subgraphs) multi.hincrby(`${this.prefix}:gen`, s, 1);
    await multi.exec();
  }
}

function fresh(entry: CachedResponse, gens: Gens): boolean {
  for (const [subgraph, gen] of Object.entries(entry.gens)) {
    if ((gens[subgraph] ?? 0) !== gen) return false;
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
    async lookup(q: ResponseCacheQuery): Promise<{ hit?: CachedResponse; gens?: Gens }> {
      const { shared, own } = keysOf(q);
      try {
        await bumpPending();
        const { entries, gens } = await store.get(own ? [shared, own] : [shared]);
        const hit = entries.find((e) => e && fresh(e, gens));
        opts.recordCache?.('response', hit !== undefined);
        return { hit, gens };
      } catch (err) {
        failed(err, 'lookup');
        return {};
      }
    },

    /**
     * Keeps an answer if its policy allows: `cacheControl` is the response's header, `subgraphs`
     * the subgraphs it read, `gensAtLookup` what `lookup` returned.
     */
    async store(
      q: ResponseCacheQuery,
      body: string,
      cacheControl: string | undefined,
      subgraphs: Iterable<string>,
      gensAtLookup: Gens | undefined,
    ): Promise<void> {
      if (!gensAtLookup) return; // the lookup failed: the store is not answering
      const hint = cacheHintOf(cacheControl);
      if (!hint.maxAge || hint.maxAge <= 0) return;
      const { shared, own } = keysOf(q);
      const key = hint.scope === 'PRIVATE' ? own : shared;
      if (!key) return; // private answers of anonymous callers are never kept
      const gens: Gens = {};
      for (const s of subgraphs) gens[s] = gensAtLookup[s] ?? 0;
      try {
        await store.set(key, { body, cacheControl: cacheControl!, gens }, hint.maxAge * 1000);
      } catch (err) {
        failed(err, 'store');
      }
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
