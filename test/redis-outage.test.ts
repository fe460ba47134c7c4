import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisKeyStore } from '../gateway/auth/redis-keys.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import { ownRedis, type OwnRedis } from './support/redis-server.js';

/*
 * Redis hung, killed or not there yet, under a gateway that keeps its keys, counts and cached
 * answers there (KEY_STORE=redis, RESPONSE_CACHE=redis): requests are answered at once from the
 * fallbacks (gateway/README.md, "Redis"), never hang, never 500, never a false 401.
 */
const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

async function setUp(opts: { redisUp: boolean }) {
  const redis = await ownRedis();
  cleanup.push(() => redis.kill());
  if (opts.redisUp) await redis.start();
  const gateway = await startGateway({
    NODE_ENV: 'test',
    REDIS_URL: redis.url,
    KEY_STORE: 'redis',
    RESPONSE_CACHE: 'redis',
    KEYS_RELOAD_MS: '200',
  });
  cleanup.push(() => gateway.close());
  return { redis, gateway };
}

async function newKey(redis: OwnRedis): Promise<string> {
  const client = new Redis(redis.url);
  try {
    const store = new RedisKeyStore(client, undefined, 0);
    return (await store.create({ name: 'outage', owner: 'tests', scopes: [] })).key;
  } finally {
    client.disconnect();
  }
}

/** `{ __typename }` (no subgraph fetch), given up after 5 s: a hang fails the test. */
async function ask(gateway: TestGateway, headers: Record<string, string> = {}) {
  const res = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ __typename }' }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as {
    data?: unknown;
    errors?: { extensions?: { code?: string } }[];
  };
  return {
    status: res.status,
    answer: body.data ?? body.errors?.[0]?.extensions?.code,
    retryAfter: res.headers.get('retry-after'),
  };
}

const OK = { status: 200, answer: { __typename: 'Query' }, retryAfter: null };
const KEYS_UNAVAILABLE = { status: 503, answer: 'KEY_STORE_UNAVAILABLE', retryAfter: '5' };

describe('gateway with Redis in trouble', () => {
  it('starts without Redis, answers keyed callers 503 until it comes, then picks it up', async () => {
    const { redis, gateway } = await setUp({ redisUp: false });
    expect(await ask(gateway)).toEqual(OK);
    expect(await ask(gateway, { 'x-api-key': 'rdsg_unknown' })).toEqual(KEYS_UNAVAILABLE);
    const ready = await fetch(gateway.url.replace('/graphql', '/readyz'));
    expect(await ready.json()).toMatchObject({ degraded: ['redis'] });

    await redis.start();
    const key = await newKey(redis);
    let keyed = await ask(gateway, { 'x-api-key': key });
    for (let i = 0; i < 100 && keyed.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      keyed = await ask(gateway, { 'x-api-key': key });
    }
    expect(keyed).toEqual(OK);
    expect((await ask(gateway, { 'x-api-key': 'rdsg_unknown' })).answer).toBe(
      'INVALID_CREDENTIALS',
    );
  });

  it('answers while Redis hangs (SIGSTOP): keys from the last set loaded, no wait', async () => {
    const { redis, gateway } = await setUp({ redisUp: true });
    const key = await newKey(redis);
    expect(await ask(gateway, { 'x-api-key': key })).toEqual(OK);
    redis.hang();
    cleanup.push(() => redis.resume());
    await new Promise((r) => setTimeout(r, 300)); // past KEYS_RELOAD_MS: the set is reloaded
    for (let i = 0; i < 3; i++) {
      expect(await ask(gateway)).toEqual(OK);
      expect(await ask(gateway, { 'x-api-key': key })).toEqual(OK);
      expect(await ask(gateway, { 'x-api-key': 'rdsg_unknown' })).toEqual(KEYS_UNAVAILABLE);
    }
    redis.resume();
    await new Promise((r) => setTimeout(r, 300));
    let unknown = await ask(gateway, { 'x-api-key': 'rdsg_unknown' });
    for (let i = 0; i < 100 && unknown.status === 503; i++) {
      await new Promise((r) => setTimeout(r, 100));
      unknown = await ask(gateway, { 'x-api-key': 'rdsg_unknown' });
    }
    expect(unknown.answer).toBe('INVALID_CREDENTIALS');
  });

  it('answers when Redis is killed: no 500, keys from the last set loaded', async () => {
    const { redis, gateway } = await setUp({ redisUp: true });
    const key = await newKey(redis);
    expect(await ask(gateway, { 'x-api-key': key })).toEqual(OK);
    await redis.kill();
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 3; i++) {
      expect(await ask(gateway)).toEqual(OK);
      expect(await ask(gateway, { 'x-api-key': key })).toEqual(OK);
      expect(await ask(gateway, { 'x-api-key': 'rdsg_unknown' })).toEqual(KEYS_UNAVAILABLE);
    }
  });
});
