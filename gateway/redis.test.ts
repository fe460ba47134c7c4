import { pino } from 'pino';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKeyClaims } from './operations/key-claims.js';
import { createQuotas } from './auth/quota.js';
import { createResponseCache } from './operations/response-cache.js';
import { createSharedRedis, REDIS_COMMAND_TIMEOUT_MS } from './redis.js';
import { ownRedis, type OwnRedis } from '../test/support/redis-server.js';

// A redis-server of this file's own, hung and killed under the client the gateway builds.
let server: OwnRedis;
beforeAll(async () => {
  server = await ownRedis();
  await server.start();
});
afterAll(async () => {
  server.resume();
  await server.kill();
});

function capture() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
        done();
      },
    }),
  );
  return { logger, warnings: () => lines.filter((l) => l.level === 40) };
}

const identity = {
  kind: 'anonymous' as const,
  id: 'anon:x',
  authenticated: false,
  scopes: [],
  quota: { perMinute: 1, perDay: 1 },
  trustedDocumentsOnly: false,
};

it('takes an answer that came in while the event loop was held past the command timeout', async () => {
  const { logger, warnings } = capture();
  const shared = createSharedRedis(server.url, logger);
  await shared.start();
  const key = `rdsg:test:${process.pid}:${Date.now()}:held`;
  await shared.client.set(key, 'kept', 'PX', 60_000);
  await new Promise((resolve) => setImmediate(resolve)); // off the reply's callback
  const answer = shared.client.get(key);
  // Redis answers in a millisecond; this thread reads nothing for 3 s, ten times the timeout, as
  // a long task or a loaded machine holds the gateway's loop. The timer is due when it turns.
  const until = performance.now() + 10 * REDIS_COMMAND_TIMEOUT_MS;
  while (performance.now() < until);
  expect(await answer).toBe('kept');
  // Not taken for a hung server: the connection (and the response cache's generations) stay.
  expect(shared.ready()).toBe(true);
  expect(warnings()).toEqual([]);
  await shared.client.del(key);
  shared.stop();
});

it('every use of Redis degrades at once when it hangs or dies, logging only now and then', async () => {
  const { logger, warnings } = capture();
  const shared = createSharedRedis(server.url, logger);
  await shared.start();
  expect(shared.ready()).toBe(true);
  const prefix = `rdsg:test:${process.pid}:${Date.now()}`;
  const consume = createQuotas(shared.client, logger, `${prefix}:q`);
  const cache = createResponseCache({
    mode: 'redis',
    redis: shared.client,
    maxBytes: 1 << 20,
    logger,
    prefix: `${prefix}:c`,
  })!;
  const claim = createKeyClaims(shared.client, logger, `${prefix}:i`);
  const query = {
    schemaVersion: 'v',
    documentHash: 'h',
    operationName: undefined,
    variables: {},
    identity,
  };
  const everyUse = async () => ({
    quota: (await consume('anon:x', identity.quota)).allowed,
    cache: await cache.lookup(query),
    claim: (await claim('key:a', 'k-1', ['createThing'])).kind,
  });
  const up = await everyUse();
  expect(up.quota).toBe(true);
  expect(up.cache.gens).toEqual({});
  expect(up.claim).toBe('claimed');

  for (const trouble of ['hang', 'kill'] as const) {
    if (trouble === 'hang') server.hang();
    else await server.kill();
    for (let i = 0; i < 5; i++) {
      // Each use answers at once from its fallback (a hang would time the test out).
      expect(await everyUse()).toEqual({ quota: true, cache: {}, claim: 'same' });
    }
    expect(shared.ready()).toBe(false);
  }
  // The first trouble is logged (once by the client and each store); the 30 failures after it
  // within 30 s are not.
  expect(warnings().length).toBeGreaterThanOrEqual(1);
  expect(warnings().length).toBeLessThanOrEqual(5);
  shared.stop();
  await server.start(); // for afterAll
});
