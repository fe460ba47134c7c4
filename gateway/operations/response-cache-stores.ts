import type { Redis } from 'ioredis';
import { Lru } from './lru.js';

/**
 * Where the response cache keeps answers, generations and the writes in flight: in this
 * process, or in Redis shared by every replica (response-cache.ts says what each one means).
 */
export interface CachedResponse {
  body: string;
  /** The response's Cache-Control, as sent the first time. */
  cacheControl: string;
  /** When it stops being fresh (epoch ms): a hit is told the max-age left, not the first one. */
  expiresAt?: number;
  /** Subgraph → generation when the answer was computed. */
  gens: Record<string, number>;
}

export interface Store {
  /** The entries at `keys`, the generations, and the subgraphs a write is in flight to. */
  get(keys: string[]): Promise<{
    entries: (CachedResponse | undefined)[];
    gens: Gens;
    writing: Set<string>;
  }>;
  set(key: string, value: CachedResponse, ttlMs: number): Promise<void>;
  bump(subgraphs: string[]): Promise<void>;
  /** A write to `subgraph` is in flight until `untilMs` (epoch) at the latest. */
  beginWrite(subgraph: string, id: string, untilMs: number): Promise<void>;
  /**
   * The write has settled: its subgraph's generation moves, and it is no longer in flight unless
   * `unknown` (it failed without an answer: the subgraph may yet commit), when its mark stays
   * until it lapses.
   */
  endWrite(subgraph: string, id: string, unknown?: boolean): Promise<void>;
}

export type Gens = Record<string, number>;

export class MemoryStore implements Store {
  private readonly entries: Lru<string, { value: CachedResponse; expires: number; bytes: number }>;
  private readonly gens: Gens = {};
  private readonly writes = new Map<string, { subgraph: string; until: number }>();
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
    const writing = new Set<string>();
    for (const [id, w] of this.writes) {
      if (w.until > now) writing.add(w.subgraph);
      else this.writes.delete(id);
    }
    return { entries, gens: { ...this.gens }, writing };
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

  async beginWrite(subgraph: string, id: string, untilMs: number) {
    this.writes.set(id, { subgraph, until: untilMs });
  }

  async endWrite(subgraph: string, id: string, unknown = false) {
    await this.bump([subgraph]);
    if (!unknown) this.writes.delete(id);
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

export class RedisStore implements Store {
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
    multi.zrangebyscore(`${this.prefix}:writing`, Date.now(), '+inf');
    const res = (await multi.exec()) ?? [];
    const entries = keys.map((_, i) => {
      const raw = res[i]?.[1];
      return typeof raw === 'string' ? (JSON.parse(raw) as CachedResponse) : undefined;
    });
    const rawGens = (res[keys.length]?.[1] ?? {}) as Record<string, string>;
    const gens = Object.fromEntries(Object.entries(rawGens).map(([k, v]) => [k, Number(v)]));
    const members = (res[keys.length + 1]?.[1] ?? []) as string[];
    return { entries, gens, writing: new Set(members.map((m) => m.split('\n')[0])) };
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

  // One sorted set for every replica's writes: member `<subgraph>\n<id>`, score when it lapses.
  async beginWrite(subgraph: string, id: string, untilMs: number) {
    await this.redis.zadd(`${this.prefix}:writing`, untilMs, `${subgraph}\n${id}`);
  }

  async endWrite(subgraph: string, id: string, unknown = false) {
    const multi = this.redis.multi().hincrby(`${this.prefix}:gen`, subgraph, 1);
    if (!unknown) multi.zrem(`${this.prefix}:writing`, `${subgraph}\n${id}`);
    await multi.zremrangebyscore(`${this.prefix}:writing`, '-inf', Date.now()).exec();
  }
}
