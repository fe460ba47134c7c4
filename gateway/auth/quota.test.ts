import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createQuotas } from './quota.js';

const logger = pino({ level: 'silent' });
// The local Redis the stack's tests use too; each test counts under a prefix of its own.
const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
afterAll(() => redis.disconnect());
afterEach(() => vi.useRealTimers());

const codes = async (consume: ReturnType<typeof createQuotas>, n: number, q: object) => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = await consume('key:k', { perMinute: 0, perDay: 0, ...q });
    out.push(d.allowed ? 'ok' : d.code!);
  }
  return out;
};

describe.each([
  ['memory', () => createQuotas(undefined, logger)],
  ['redis', () => createQuotas(redis, logger, `rdsg:test:${randomUUID()}`)],
])('quotas in %s', (_, make) => {
  it('does not spend the daily quota on requests the minute limit refused', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-05T10:00:05Z'));
    const consume = make();
    const q = { perMinute: 5, perDay: 8 };
    expect(await codes(consume, 9, q)).toEqual([
      ...Array(5).fill('ok'),
      ...Array(4).fill('RATE_LIMITED'),
    ]);
    // The next minute: 3 of the day's 8 are left, not none.
    vi.setSystemTime(new Date('2026-12-05T10:01:05Z'));
    expect(await codes(consume, 4, q)).toEqual(['ok', 'ok', 'ok', 'QUOTA_EXCEEDED']);
    // The day's quota is reported, with the time to the day's end, even inside the minute.
    const refused = await consume('key:k', q);
    expect(refused).toEqual({ allowed: false, code: 'QUOTA_EXCEEDED', retryAfter: 50_335 });
  });

  it('admits several units all at once or none, and checks without counting', async () => {
    const consume = make();
    const q = { perMinute: 10, perDay: 3 };
    expect((await consume('key:u', q)).allowed).toBe(true);
    // 1 + 3 > 3: refused whole, nothing counted.
    expect((await consume('key:u', q, 3)).code).toBe('QUOTA_EXCEEDED');
    // A check counts nothing, however often it is made.
    for (let i = 0; i < 5; i++)
      expect((await consume('key:u', q, 2, { check: true })).allowed).toBe(true);
    expect((await consume('key:u', q, 3, { check: true })).code).toBe('QUOTA_EXCEEDED');
    expect((await consume('key:u', q, 2)).allowed).toBe(true);
    expect((await consume('key:u', q)).code).toBe('QUOTA_EXCEEDED');
  });

  it('admits exactly the limit of concurrent requests', async () => {
    const consume = make();
    const all = await Promise.all(
      Array.from({ length: 30 }, () => consume('key:c', { perMinute: 0, perDay: 10 })),
    );
    expect(all.filter((d) => d.allowed)).toHaveLength(10);
  });

  it('counts callers apart and lets everything through without limits', async () => {
    const consume = make();
    expect((await consume('key:a', { perMinute: 1, perDay: 0 })).allowed).toBe(true);
    expect((await consume('key:b', { perMinute: 1, perDay: 0 })).allowed).toBe(true);
    expect((await consume('key:a', { perMinute: 1, perDay: 0 })).code).toBe('RATE_LIMITED');
    expect(await codes(consume, 3, {})).toEqual(['ok', 'ok', 'ok']);
  });
});

it('lets requests through when Redis is down (logged)', async () => {
  const down = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  down.on('error', () => undefined);
  const consume = createQuotas(down, logger, `rdsg:test:${randomUUID()}`);
  expect(await consume('key:d', { perMinute: 1, perDay: 1 })).toEqual({ allowed: true });
  down.disconnect();
});
