import { describe, expect, it } from 'vitest';
import { idempotencyKeyOf, keyRefusalStatus } from './idempotency.js';

const answer = (data: unknown, ...codes: string[]) =>
  JSON.stringify({
    data,
    errors: codes.map((code) => ({ message: 'm', path: ['w'], extensions: { code } })),
  });

describe('keyRefusalStatus', () => {
  it("gives the draft's 422 and 409 to a mutation refused as a whole for its key", () => {
    expect(keyRefusalStatus('mutation', answer(null, 'IDEMPOTENCY_KEY_REUSED'))).toBe(422);
    expect(
      keyRefusalStatus(
        'mutation',
        answer({ a: null, b: null }, 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_REUSED'),
      ),
    ).toBe(422);
    expect(keyRefusalStatus('mutation', answer(null, 'IDEMPOTENCY_KEY_IN_USE'))).toBe(409);
  });

  it('leaves 200 to partial answers, mixed errors, other codes and queries', () => {
    // One field of the operation did write: the client must see that.
    expect(
      keyRefusalStatus('mutation', answer({ a: { id: 1 }, b: null }, 'IDEMPOTENCY_KEY_REUSED')),
    ).toBeUndefined();
    expect(
      keyRefusalStatus('mutation', answer(null, 'IDEMPOTENCY_KEY_REUSED', 'BAD_USER_INPUT')),
    ).toBeUndefined();
    expect(keyRefusalStatus('mutation', answer(null, 'BAD_USER_INPUT'))).toBeUndefined();
    expect(keyRefusalStatus('mutation', answer({ a: { id: 1 } }))).toBeUndefined();
    expect(keyRefusalStatus('query', answer(null, 'IDEMPOTENCY_KEY_REUSED'))).toBeUndefined();
  });
});

describe('idempotencyKeyOf', () => {
  it('refuses a value that is neither an sf-string nor a bare key: 400 BAD_REQUEST', () => {
    for (const value of ['"abc', '"a"b"', '"a\\x"', 'abc"', '""']) {
      expect(() => idempotencyKeyOf({ 'idempotency-key': value }), value).toThrow(
        expect.objectContaining({ status: 400, code: 'BAD_REQUEST' }),
      );
    }
  });

  it('reads a well-formed sf-string, escapes included, and a bare key', () => {
    expect(idempotencyKeyOf({ 'idempotency-key': '"abc"' })).toBe('abc');
    expect(idempotencyKeyOf({ 'idempotency-key': '"a\\"b\\\\c"' })).toBe('a"b\\c');
    expect(idempotencyKeyOf({ 'idempotency-key': 'abc' })).toBe('abc');
    expect(idempotencyKeyOf({})).toBeUndefined();
  });
});
