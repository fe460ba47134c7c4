import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { occasionally } from '../redis.js';
import { hasKeyRecordShape, KEY_RECORD_SHAPE } from './key-record.js';

/**
 * API keys. A key is 32 random bytes shown once at creation; only its SHA-256 is stored (a
 * high-entropy secret needs no slow hash), so a leaked store does not leak usable keys.
 */
export interface ApiKeyRecord {
  /** Public identifier (appears in logs and the audit trail). */
  id: string;
  /** SHA-256 (hex) of the secret key. */
  hash: string;
  name: string;
  owner: string;
  scopes: string[];
  /** Per-key quota; undefined = the gateway's default. 0 = unlimited. */
  rateLimitPerMinute?: number;
  dailyQuota?: number;
  /** Only operations of the trusted-documents manifest may be run with this key. */
  trustedDocumentsOnly?: boolean;
  createdAt: string;
  revokedAt?: string;
}

export const KEY_PREFIX = 'rdsg_';

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export interface NewKey {
  name: string;
  owner: string;
  scopes: string[];
  rateLimitPerMinute?: number;
  dailyQuota?: number;
  trustedDocumentsOnly?: boolean;
}

export function newRecord(input: NewKey): { key: string; record: ApiKeyRecord } {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  const record: ApiKeyRecord = {
    id: randomBytes(6).toString('hex'),
    hash: hashKey(key),
    ...input,
    createdAt: new Date().toISOString(),
  };
  return { key, record };
}

export interface KeyStore {
  /**
   * The record of a presented key (revoked ones included), or undefined. `loadedOnly`: from the
   * keys already loaded, not asking the store for a key not among them (an address guessing).
   */
  lookup(key: string, opts?: { loadedOnly?: boolean }): Promise<ApiKeyRecord | undefined>;
  create(input: NewKey): Promise<{ key: string; record: ApiKeyRecord }>;
  list(): Promise<ApiKeyRecord[]>;
  /** Revokes by id; false when no such key. */
  revoke(id: string): Promise<boolean>;
  /**
   * Why the keys file cannot be read now, while the last set read answers (readiness reports
   * it as degraded, metrics as `gateway_key_store_stale`); undefined when it is current. (Redis
   * trouble is reported as Redis's.)
   */
  stale?(): string | undefined;
  close(): Promise<void>;
}

interface KeyFile {
  version: 1;
  keys: ApiKeyRecord[];
}

/** The records of a keys file's text; throws when it is not a keys file. */
function parseKeyFile(text: string): ApiKeyRecord[] {
  const file = JSON.parse(text) as Partial<KeyFile> | null;
  const keys: unknown = file?.keys;
  if (!Array.isArray(keys)) throw new Error('not a keys file: `keys` must be a list of records');
  const records = keys.map(checkRecord);
  const bad = records.findIndex((r) => r === undefined);
  if (bad >= 0) throw new Error(`key record ${bad + 1} is not a key record (${KEY_RECORD_SHAPE})`);
  return records as ApiKeyRecord[];
}

/** `value` as a key record when it has a key record's shape (key-record.ts), else undefined. */
function checkRecord(value: unknown): ApiKeyRecord | undefined {
  return hasKeyRecordShape(value) ? (value as ApiKeyRecord) : undefined;
}

/**
 * Keys in one JSON file, rewritten atomically (temp file + rename) so a reader never sees half
 * a file. The gateway re-reads it when its mtime changes (checked at most every `reloadMs`), so
 * a key revoked with the CLI stops working without a restart. A file that does not parse (an
 * edit by hand gone wrong, one half written) or is gone (deleted, moved away by a deploy) leaves
 * the last file read answering, logged and reported by `stale()`, until a valid file is there
 * again; with none read yet, a file that does not parse makes lookups throw
 * `KeyStoreUnavailable` (503) and the CLI's writes refuse rather than overwrite it. No file ever
 * read is no keys (a gateway started without one).
 */
export class FileKeyStore implements KeyStore {
  private byHash = new Map<string, ApiKeyRecord>();
  private records: ApiKeyRecord[] = [];
  private version = '';
  private checkedAt = 0;
  private loadedOnce = false;
  /** Why the file could not be read at its last check, while an earlier file answers. */
  private failure: string | undefined;
  private readonly warn: (fields: Record<string, unknown>, message: string) => void;

  constructor(
    private readonly path: string,
    private readonly reloadMs = 1000,
    logger?: Logger,
  ) {
    this.warn = logger ? occasionally(logger) : () => {};
  }

  private refresh(force = false): void {
    const now = Date.now();
    if (!force && now - this.checkedAt < this.reloadMs) return;
    this.checkedAt = now;
    let version: string;
    try {
      const st = statSync(this.path);
      version = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch (err) {
      if (force || !this.loadedOnce) {
        this.records = [];
        this.byHash = new Map();
        this.version = '';
        return;
      }
      // Gone after it was read: every keyed request would get 401 until it is back.
      this.failure = `the keys file ${this.path} is missing (${(err as NodeJS.ErrnoException).code})`;
      this.warn({ path: this.path }, `${this.failure}; the last keys read answer`);
      return;
    }
    if (version === this.version && !force) return;
    let records: ApiKeyRecord[];
    try {
      records = parseKeyFile(readFileSync(this.path, 'utf8'));
    } catch (err) {
      const message = `the keys file ${this.path} cannot be read: ${(err as Error).message}`;
      if (force) throw new Error(message, { cause: err });
      this.failure = message;
      this.warn({ path: this.path }, `${message}; the last keys read answer`);
      if (!this.loadedOnce) throw new KeyStoreUnavailable('The API key store is unavailable.');
      return;
    }
    this.records = records;
    this.byHash = new Map(records.map((r) => [r.hash, r]));
    this.version = version;
    this.loadedOnce = true;
    this.failure = undefined;
  }

  stale() {
    try {
      this.refresh();
    } catch {
      // no file read yet: lookups say so (503); the failure is reported here
    }
    return this.failure;
  }

  private write(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const body: KeyFile = { version: 1, keys: this.records };
    writeFileSync(tmp, JSON.stringify(body, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.path);
    this.refresh(true);
  }

  async lookup(key: string) {
    this.refresh();
    return this.byHash.get(hashKey(key));
  }

  async create(input: NewKey) {
    this.refresh(true);
    const created = newRecord(input);
    this.records = [...this.records, created.record];
    this.write();
    return created;
  }

  async list() {
    this.refresh(true);
    return [...this.records];
  }

  async revoke(id: string) {
    this.refresh(true);
    const record = this.records.find((r) => r.id === id);
    if (!record) return false;
    this.records = this.records.map((r) =>
      r.id === id ? { ...r, revokedAt: r.revokedAt ?? new Date().toISOString() } : r,
    );
    this.write();
    return true;
  }

  async close() {}
}

/** The key store cannot say now whether a key is valid (Redis down and the key not loaded). */
export class KeyStoreUnavailable extends Error {}
