import { randomUUID } from 'node:crypto';
import { parse } from 'graphql';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyClaims, mutationFieldsOf, wroteNothing } from './key-claims.js';

const logger = pino({ level: 'silent' });
// The local Redis the stack's tests use too; each run claims keys of its own.
const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
afterAll(() => redis.disconnect());

describe.each([
  ['memory', () => createKeyClaims(undefined, logger)],
  ['redis', () => createKeyClaims(redis, logger, `rdsg:test:${randomUUID()}`)],
])('Idempotency-Key claims in %s', (_, make) => {
  it('claims a key for its mutation fields; the same fields again are a retry, others refused', async () => {
    const claim = make();
    const first = await claim('key:a', 'k1', ['recordAuditoriumEvent']);
    expect(first.kind).toBe('claimed');
    expect((await claim('key:a', 'k1', ['recordAuditoriumEvent'])).kind).toBe('same');
    expect((await claim('key:a', 'k1', ['registerOnlineStore'])).kind).toBe('other');
    // Per caller: another caller's key of the same text is its own.
    expect((await claim('key:b', 'k1', ['registerOnlineStore'])).kind).toBe('claimed');
    // The order and repeats of the fields do not matter.
    await claim('key:a', 'k2', ['b', 'a']);
    expect((await claim('key:a', 'k2', ['a', 'b', 'a'])).kind).toBe('same');
  });

  it('gives back a claim, so another write may use the key', async () => {
    const claim = make();
    const first = await claim('key:a', 'k3', ['registerOnlineStore']);
    if (first.kind !== 'claimed') throw new Error('not claimed');
    await first.release();
    expect((await claim('key:a', 'k3', ['recordAuditoriumEvent'])).kind).toBe('claimed');
    // Released late, it does not take away the claim that came after it.
    await first.release();
    expect((await claim('key:a', 'k3', ['registerOnlineStore'])).kind).toBe('other');
  });

  it('keeps a claim another request with the key used too, even when given back', async () => {
    const claim = make();
    const first = await claim('key:a', 'k4', ['recordAuditoriumEvent']);
    if (first.kind !== 'claimed') throw new Error('not claimed');
    expect((await claim('key:a', 'k4', ['recordAuditoriumEvent'])).kind).toBe('same');
    await first.release();
    expect((await claim('key:a', 'k4', ['registerOnlineStore'])).kind).toBe('other');
  });
});

describe('Idempotency-Key claims when Redis fails', () => {
  it('let the request go on unclaimed', async () => {
    const down = new Redis('redis://127.0.0.1:9', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => {});
    const claim = createKeyClaims(down, logger);
    expect((await claim('key:a', 'k', ['a'])).kind).toBe('same');
    down.disconnect();
  });
});

describe('mutationFieldsOf', () => {
  it('names the root fields of the chosen operation, through fragments, not aliases', () => {
    const doc = parse(`
      mutation A { x: recordAuditoriumEvent(input: {}) { id } ...F ... on Mutation { c } }
      mutation B { other }
      fragment F on Mutation { registerOnlineStore(input: {}) { id } ...F }`);
    expect(mutationFieldsOf(doc, 'A').sort()).toEqual([
      'c',
      'recordAuditoriumEvent',
      'registerOnlineStore',
    ]);
    expect(mutationFieldsOf(doc, 'B')).toEqual(['other']);
    expect(mutationFieldsOf(parse('mutation { m }'), undefined)).toEqual(['m']);
  });
});

describe('wroteNothing', () => {
  it('is true only when no field has data and every error is the caller’s', () => {
    const answer = (data: unknown, ...codes: string[]) =>
      JSON.stringify({ data, errors: codes.map((code) => ({ extensions: { code } })) });
    expect(wroteNothing(answer({ a: null }, 'BAD_USER_INPUT'))).toBe(true);
    expect(wroteNothing(answer(null, 'FORBIDDEN', 'IDEMPOTENCY_KEY_REUSED'))).toBe(true);
    expect(wroteNothing(answer({ a: { id: 1 } }, 'BAD_USER_INPUT'))).toBe(false);
    // A doubtful outcome: the write may have been applied.
    expect(wroteNothing(answer({ a: null }, 'SUBGRAPH_UNAVAILABLE'))).toBe(false);
    // Another request with the key is under way: its claim is not given back.
    expect(wroteNothing(answer({ a: null }, 'IDEMPOTENCY_KEY_IN_USE'))).toBe(false);
    expect(wroteNothing(answer({ a: null }, 'BAD_USER_INPUT', 'INTERNAL_SERVER_ERROR'))).toBe(
      false,
    );
    expect(wroteNothing(JSON.stringify({ data: { a: { id: 1 } } }))).toBe(false);
    expect(wroteNothing('not json')).toBe(false);
    // An error below the mutation field came from answering a write that was made.
    const below = (path: string[]) =>
      JSON.stringify({
        data: { a: null },
        errors: [{ path, extensions: { code: 'BAD_USER_INPUT' } }],
      });
    expect(wroteNothing(below(['a']))).toBe(true);
    expect(wroteNothing(below(['a', 'monthlySales']))).toBe(false);
  });
});
