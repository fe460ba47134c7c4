import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { FileKeyStore, KeyStoreUnavailable } from './keys.js';
import { RedisKeyStore } from './redis-keys.js';

const dir = mkdtempSync(join(tmpdir(), 'keys-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('FileKeyStore with a file an operator broke', () => {
  it('answers from the last file it read while the file does not parse', async () => {
    const path = join(dir, 'keys.json');
    const store = new FileKeyStore(path, 0);
    const { key, record } = await store.create({ name: 'p', owner: 'o', scopes: [] });
    expect((await store.lookup(key))?.id).toBe(record.id);

    writeFileSync(path, '{"version": 1, "keys": [ {"id": "half');
    expect((await store.lookup(key))?.id).toBe(record.id);
    expect(await store.lookup('rdsg_unknown')).toBeUndefined();
  });

  it('answers from the last file it read while the file is gone, and says why', async () => {
    const path = join(dir, 'deleted.json');
    const store = new FileKeyStore(path, 0);
    expect(store.stale()).toBeUndefined(); // no file yet: no keys, nothing wrong
    const { key, record } = await store.create({ name: 'p', owner: 'o', scopes: [] });
    rmSync(path);
    expect((await store.lookup(key))?.id).toBe(record.id);
    expect(store.stale()).toMatch(/missing/);
    writeFileSync(path, JSON.stringify({ version: 1, keys: [] }));
    expect(await store.lookup(key)).toBeUndefined();
    expect(store.stale()).toBeUndefined();
  });

  it('says the store is unavailable, not that a key is invalid, when it never read the file', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, 'not json');
    const store = new FileKeyStore(path, 0);
    await expect(store.lookup('rdsg_any')).rejects.toBeInstanceOf(KeyStoreUnavailable);
  });

  it('takes a repaired file', async () => {
    const path = join(dir, 'repaired.json');
    const store = new FileKeyStore(path, 0);
    const { key, record } = await store.create({ name: 'p', owner: 'o', scopes: [] });
    writeFileSync(path, '[');
    expect((await store.lookup(key))?.id).toBe(record.id);
    writeFileSync(path, JSON.stringify({ version: 1, keys: [{ ...record, revokedAt: 'now' }] }));
    expect((await store.lookup(key))?.revokedAt).toBe('now');
  });

  it('refuses to create or revoke over a file it cannot read, and leaves the file as it is', async () => {
    const path = join(dir, 'kept.json');
    writeFileSync(path, '{"version": 1, "keys": [');
    const store = new FileKeyStore(path, 0);
    await expect(store.create({ name: 'p', owner: 'o', scopes: [] })).rejects.toThrow(
      /cannot be read/,
    );
    await expect(store.revoke('abc')).rejects.toThrow(/cannot be read/);
    expect(readFileSync(path, 'utf8')).toBe('{"version": 1, "keys": [');
  });

  it('does not take a record of another shape (scopes as one string, a quota as text)', async () => {
    const path = join(dir, 'shapes.json');
    const store = new FileKeyStore(path, 0);
    const { key, record } = await store.create({ name: 'p', owner: 'o', scopes: ['a'] });
    for (const edit of [{ scopes: 'culture:write' }, { scopes: 5 }, { dailyQuota: 'many' }]) {
      writeFileSync(path, JSON.stringify({ version: 1, keys: [{ ...record, ...edit }] }));
      expect(await store.lookup(key)).toEqual(record);
    }
    await expect(store.create({ name: 'q', owner: 'o', scopes: [] })).rejects.toThrow(
      /key record 1 is not a key record/,
    );
  });
});

describe('RedisKeyStore with a record an operator broke', () => {
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  const hashName = `rdsg:test-keys:${randomUUID()}`;
  afterAll(async () => {
    await redis.del(hashName);
    redis.disconnect();
  });

  it('answers the other keys, and calls the broken one unavailable, not invalid', async () => {
    const store = new RedisKeyStore(redis, hashName, 0);
    const { key, record } = await store.create({ name: 'p', owner: 'o', scopes: [] });
    const broken = await store.create({ name: 'q', owner: 'o', scopes: [] });
    await redis.hset(hashName, broken.record.hash, '{"id": "half');
    expect((await store.lookup(key))?.id).toBe(record.id);
    await expect(store.lookup(broken.key)).rejects.toBeInstanceOf(KeyStoreUnavailable);
    expect(await store.lookup('rdsg_unknown')).toBeUndefined();
    expect(await store.revoke(record.id)).toBe(true);
    expect((await store.lookup(key))?.revokedAt).toBeTruthy();
  });

  it('answers loadedOnly from the keys loaded, without asking Redis for another', async () => {
    const store = new RedisKeyStore(redis, hashName, 60_000);
    const { key, record } = await store.create({ name: 's', owner: 'o', scopes: [] });
    expect((await store.lookup(key))?.id).toBe(record.id); // loads the set
    const later = await new RedisKeyStore(redis, hashName, 0).create({
      name: 't',
      owner: 'o',
      scopes: [],
    });
    expect(await store.lookup(later.key, { loadedOnly: true })).toBeUndefined();
    expect((await store.lookup(key, { loadedOnly: true }))?.id).toBe(record.id);
    expect((await store.lookup(later.key))?.id).toBe(later.record.id);
  });

  it('calls a key not loaded unavailable for loadedOnly while Redis refuses (it was invalid)', async () => {
    // A port nothing listens on: the set cannot be loaded.
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => undefined); // the refusal is the point
    const store = new RedisKeyStore(down, hashName, 1000);
    await expect(store.lookup('rdsg_unknown', { loadedOnly: true })).rejects.toBeInstanceOf(
      KeyStoreUnavailable,
    );
    down.disconnect();
  });

  it('calls a record of another shape unavailable (it was a 500 for its key)', async () => {
    const store = new RedisKeyStore(redis, hashName, 0);
    const { key, record } = await store.create({ name: 'r', owner: 'o', scopes: ['a'] });
    for (const edit of [{ scopes: 5 }, { scopes: 'a b' }, { rateLimitPerMinute: -1 }, { id: 7 }]) {
      await redis.hset(hashName, record.hash, JSON.stringify({ ...record, ...edit }));
      await expect(store.lookup(key)).rejects.toBeInstanceOf(KeyStoreUnavailable);
    }
    await redis.hset(hashName, record.hash, JSON.stringify({ ...record, dailyQuota: null }));
    expect((await store.lookup(key))?.scopes).toEqual(['a']);
  });
});
