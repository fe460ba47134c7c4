import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { occasionally } from '../redis.js';
import { Lru } from '../operations/lru.js';
import { hasKeyRecordShape } from './key-record.js';
import {
  KeyStoreUnavailable,
  hashKey,
  newRecord,
  type ApiKeyRecord,
  type KeyStore,
  type NewKey,
} from './keys.js';

/** A stored record, or undefined when the text is not one (a hand edit gone wrong). */
function parseRecord(raw: string): ApiKeyRecord | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return hasKeyRecordShape(value) ? (value as ApiKeyRecord) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keys in one Redis hash (field = key hash), shared by every gateway replica. The whole set is
 * loaded again once `reloadMs` has passed (one HGETALL shared by the lookups waiting for it), so
 * a revocation takes effect within that interval on every replica, as with the file store. A key
 * not in the set loaded (created since, or unknown) is asked for alone and the answer kept for
 * `reloadMs`. If Redis fails, keys are answered from the last set loaded; a key not in it throws
 * `KeyStoreUnavailable` (503 KEY_STORE_UNAVAILABLE), never a false "invalid key".
 */
export class RedisKeyStore implements KeyStore {
  /** The set loaded last, parsed once (not on every request that presents a key). */
  private loaded: { records: Map<string, ApiKeyRecord>; at: number } | undefined;
  private loading: Promise<void> | undefined;
  /** The last reload failed: the set loaded may lack keys created since. */
  private reloadFailed = false;
  private readonly recent = new Lru<string, { record: ApiKeyRecord | undefined; until: number }>(
    10_000,
  );
  private readonly warn: (fields: Record<string, unknown>, message: string) => void;

  constructor(
    private readonly redis: Redis,
    private readonly hashName = 'rdsg:api-keys',
    private readonly reloadMs = 1000,
    logger?: Logger,
  ) {
    this.warn = logger ? occasionally(logger) : () => {};
  }

  private async refresh(now: number): Promise<void> {
    if (this.loaded && now - this.loaded.at < this.reloadMs) return;
    this.loading ??= this.redis
      .hgetall(this.hashName)
      .then(
        (all) => {
          const records = new Map<string, ApiKeyRecord>();
          for (const [hash, raw] of Object.entries(all)) {
            const record = parseRecord(raw);
            if (record) records.set(hash, record);
            else this.warn({ hash }, 'an API key record does not parse; it is not answered');
          }
          this.loaded = { records, at: Date.now() };
          this.reloadFailed = false;
          this.recent.clear();
        },
        (err: unknown) => {
          this.reloadFailed = true;
          this.warn({ err }, 'API keys could not be reloaded; the last set loaded answers');
        },
      )
      .finally(() => {
        this.loading = undefined;
      });
    await this.loading;
  }

  async lookup(key: string, opts?: { loadedOnly?: boolean }) {
    const hash = hashKey(key);
    const now = Date.now();
    await this.refresh(now);
    const inSet = this.loaded?.records.get(hash);
    if (inSet !== undefined) return inSet;
    const known = this.recent.get(hash);
    if (known && known.until > now) return known.record;
    if (opts?.loadedOnly) {
      // Redis down: a key not in the set may still be valid (503, as for any other caller).
      if (this.reloadFailed || !this.loaded)
        throw new KeyStoreUnavailable('The API key store is unavailable.');
      return undefined;
    }
    let raw: string | null;
    try {
      raw = await this.redis.hget(this.hashName, hash);
    } catch (err) {
      this.warn({ err }, 'API key lookup failed; key store unavailable');
      throw new KeyStoreUnavailable('The API key store is unavailable.');
    }
    const record = raw ? parseRecord(raw) : undefined;
    // A record there that does not parse: its key can be neither admitted nor called invalid.
    if (raw && !record) throw new KeyStoreUnavailable('The API key store is unavailable.');
    if (this.reloadMs > 0) this.recent.set(hash, { record, until: now + this.reloadMs });
    return record;
  }

  async create(input: NewKey) {
    const created = newRecord(input);
    await this.redis.hset(this.hashName, created.record.hash, JSON.stringify(created.record));
    return created;
  }

  async list() {
    // A broken record is left out: it must not stop the others from being listed or revoked.
    const all = await this.redis.hvals(this.hashName);
    return all.map(parseRecord).filter((r): r is ApiKeyRecord => r !== undefined);
  }

  async revoke(id: string) {
    const record = (await this.list()).find((r) => r.id === id);
    if (!record) return false;
    const revoked = { ...record, revokedAt: record.revokedAt ?? new Date().toISOString() };
    await this.redis.hset(this.hashName, record.hash, JSON.stringify(revoked));
    this.recent.delete(record.hash);
    this.loaded?.records.set(record.hash, revoked);
    return true;
  }

  async close() {}
}
