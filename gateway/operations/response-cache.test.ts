import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, expect, it, vi } from 'vitest';
import { createResponseCache, WRITE_MARK_MS } from './response-cache.js';
import { MemoryStore, RedisStore } from './response-cache-stores.js';

// The local Redis the stack's tests use too, under a prefix of this test's own.
const redis = new Redis('redis://127.0.0.1:6379', {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
});
afterAll(() => redis.disconnect());

const query = {
  schemaVersion: 'v1',
  documentHash: 'h',
  operationName: 'Provinces',
  variables: {},
  identity: {
    kind: 'anonymous' as const,
    id: 'anon:x',
    authenticated: false,
    scopes: [],
    quota: { perMinute: 0, perDay: 0 },
    trustedDocumentsOnly: false,
  },
};

it('a mutation whose invalidation Redis missed is made stale before the cache is read again', async () => {
  await redis.connect();
  const cache = createResponseCache({
    mode: 'redis',
    redis,
    maxBytes: 1 << 20,
    logger: pino({ level: 'silent' }),
    prefix: `rdsg:test:${randomUUID()}`,
  })!;
  const first = await cache.lookup(query);
  await cache.store(query, '{"data":{"n":1}}', 'max-age=600, public', ['places'], first.gens);
  expect((await cache.lookup(query)).hit?.body).toBe('{"data":{"n":1}}');

  // Redis out of reach while a mutation lands (its data kept: a partition, a hang).
  const ended = new Promise((r) => redis.once('end', r));
  redis.disconnect();
  await ended;
  await cache.invalidate(['places']);
  expect(await cache.lookup(query)).toEqual({});

  await redis.connect();
  expect((await cache.lookup(query)).hit).toBeUndefined();
});

/** A Redis-backed cache under a prefix of its own, on the shared connection. */
async function redisCache(subgraphs: string[]) {
  if (redis.status !== 'ready') await redis.connect();
  const prefix = `rdsg:test:${randomUUID()}`;
  const cache = createResponseCache({
    mode: 'redis',
    redis,
    maxBytes: 1 << 20,
    logger: pino({ level: 'silent' }),
    prefix,
    subgraphs: () => subgraphs,
  })!;
  return { cache, gens: `${prefix}:gen` };
}

/** Redis restarts from a snapshot: the connection drops, the generations roll back to `gens`. */
async function restartFrom(key: string, gens: Record<string, string>) {
  const ended = new Promise((r) => redis.once('end', r));
  redis.disconnect();
  await ended;
  await redis.connect();
  await redis.multi().del(key).hset(key, gens).exec();
}

it('after a reconnection every generation is bumped: Redis restored from a snapshot serves nothing stale', async () => {
  const { cache, gens } = await redisCache(['places', 'commerce']);
  await cache.invalidate(['commerce']); // an earlier write
  const first = await cache.lookup(query);
  await cache.store(query, '{"data":{"n":1}}', 'max-age=600, public', ['commerce'], first.gens);
  expect((await cache.lookup(query)).hit?.body).toBe('{"data":{"n":1}}');
  const snapshot = await redis.hgetall(gens);
  await cache.invalidate(['commerce']); // a write acknowledged after the snapshot
  expect((await cache.lookup(query)).hit).toBeUndefined();

  // Redis restarts from the snapshot: the generations roll back under the answer cached then.
  await restartFrom(gens, snapshot);
  expect((await cache.lookup(query)).hit).toBeUndefined();
  // Answers cached after the reconnection are served again.
  const again = await cache.lookup(query);
  await cache.store(query, '{"data":{"n":2}}', 'max-age=600, public', ['commerce'], again.gens);
  expect((await cache.lookup(query)).hit?.body).toBe('{"data":{"n":2}}');
});

it('a query begun before Redis lost two writes cannot store its answer as fresh after the reconnection', async () => {
  const { cache, gens } = await redisCache(['commerce']);
  await cache.lookup(query); // connected: the first bump is behind us
  await cache.invalidate(['commerce']);
  const snapshot = await redis.hgetall(gens);
  await cache.invalidate(['commerce']); // W1
  const q = await cache.lookup(query); // a query begins: it sees W1
  await cache.invalidate(['commerce']); // W2, acknowledged while the query runs
  await restartFrom(gens, snapshot); // both lost
  expect((await cache.lookup(query)).hit).toBeUndefined(); // reconnected: bumps first
  await cache.store(query, '{"data":"before W2"}', 'max-age=600, public', ['commerce'], q.gens);
  expect((await cache.lookup(query)).hit).toBeUndefined();
});

it('serves no answer of a subgraph while a write to it is in flight, on any replica', async () => {
  if (redis.status !== 'ready') await redis.connect();
  const prefix = `rdsg:test:${randomUUID()}`;
  const replica = () =>
    createResponseCache({ mode: 'redis', redis, maxBytes: 1 << 20, logger: pino(), prefix })!;
  const memory = createResponseCache({ mode: 'memory', maxBytes: 1 << 20, logger: pino() })!;
  for (const [writer, reader] of [
    [replica(), replica()],
    [memory, memory],
  ]) {
    const other = { ...query, documentHash: 'other' };
    const at = await reader.lookup(query);
    await reader.store(query, '{"data":{"n":1}}', 'max-age=600, public', ['commerce'], at.gens);
    await reader.store(other, '{"data":{"p":1}}', 'max-age=600, public', ['places'], at.gens);
    expect((await reader.lookup(query)).hit?.body).toBe('{"data":{"n":1}}');

    // The subgraph may commit at any moment from here: what was cached before is not served.
    const written = await writer.beginWrite('commerce');
    const during = await reader.lookup(query);
    expect(during.hit).toBeUndefined();
    expect((await reader.lookup(other)).hit?.body).toBe('{"data":{"p":1}}');
    // Read while the write was in flight: stored, but stale once the write has answered.
    await reader.store(query, '{"data":{"n":1}}', 'max-age=600, public', ['commerce'], during.gens);
    await written(true);
    expect((await reader.lookup(query)).hit).toBeUndefined();
    const after = await reader.lookup(query);
    await reader.store(query, '{"data":{"n":2}}', 'max-age=600, public', ['commerce'], after.gens);
    expect((await reader.lookup(query)).hit?.body).toBe('{"data":{"n":2}}');
  }
});

it('forgets a write mark that lapsed: a gateway that died mid-write does not stop the cache', async () => {
  if (redis.status !== 'ready') await redis.connect();
  for (const store of [
    new MemoryStore(1 << 20),
    new RedisStore(redis, `rdsg:test:${randomUUID()}`, () => []),
  ]) {
    await store.beginWrite('commerce', 'died', Date.now() - 1);
    await store.beginWrite('places', 'running', Date.now() + 60_000);
    expect([...(await store.get([])).writing]).toEqual(['places']);
  }
});

it('keeps the mark of a write the gateway gave up on for WRITE_MARK_MS after it gave up', async () => {
  if (redis.status !== 'ready') await redis.connect();
  const logger = pino({ level: 'silent' });
  const prefix = `rdsg:test:${randomUUID()}`;
  const timeoutMs = WRITE_MARK_MS + 30_000; // a SUBGRAPH_TIMEOUT_MS above the mark's length
  // Only Date moves: the clock the marks are written and read with.
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    for (const mode of ['memory', 'redis'] as const) {
      const cache = createResponseCache({ mode, redis, maxBytes: 1 << 20, logger, prefix })!;
      const sent = Date.now();
      const written = await cache.beginWrite('commerce', timeoutMs);
      vi.setSystemTime(sent + timeoutMs); // no answer: the caller is told the outcome is unknown
      await written(false);
      // The subgraph may still commit: what the caller reads now must not be kept past that.
      vi.setSystemTime(sent + timeoutMs + WRITE_MARK_MS - 1_000);
      expect([...((await cache.lookup(query)).writing ?? [])], mode).toEqual(['commerce']);
      vi.setSystemTime(sent + timeoutMs + WRITE_MARK_MS + 1_000);
      expect([...((await cache.lookup(query)).writing ?? [])], mode).toEqual([]);
      vi.setSystemTime(sent);
    }
  } finally {
    vi.useRealTimers();
  }
});
