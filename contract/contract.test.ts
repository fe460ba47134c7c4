import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CLIENT_SAFE_CODES, ErrorCode } from './errors.js';
import {
  DEV_GATEWAY_SHARED_SECRET,
  MAX_IDENTITY_AGE_MS,
  signIdentity,
  verifyGatewayIdentity,
} from './identity.js';
import {
  MAX_IDEMPOTENCY_KEY_LENGTH,
  idempotencyHeaderOf,
  idempotencyKeyFrom,
} from './idempotency.js';
import { SUBGRAPH_NAMES, SUBGRAPH_PORTS, subgraphBodyLimit } from './subgraphs.js';

const caller = { id: 'key:k1', kind: 'api-key', scopes: ['culture:write'] };
const now = 1_700_000_000_000;

describe('identity header', () => {
  it('verifies what it signed, as {sub, kind, scopes, iat}', () => {
    const header = signIdentity(caller, DEV_GATEWAY_SHARED_SECRET, now);
    expect(header).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(verifyGatewayIdentity(header, DEV_GATEWAY_SHARED_SECRET, now + 1_000)).toEqual({
      sub: 'key:k1',
      kind: 'api-key',
      scopes: ['culture:write'],
      iat: now,
    });
  });

  it('refuses another secret, a changed payload, a stale header and no secret', () => {
    const header = signIdentity(caller, DEV_GATEWAY_SHARED_SECRET, now);
    expect(verifyGatewayIdentity(header, 'x'.repeat(32), now)).toBeUndefined();
    const [v, , mac] = header.split('.');
    const forged = Buffer.from(
      JSON.stringify({ sub: 'key:k1', kind: 'api-key', scopes: ['*'], iat: now }),
    ).toString('base64url');
    expect(
      verifyGatewayIdentity(`${v}.${forged}.${mac}`, DEV_GATEWAY_SHARED_SECRET, now),
    ).toBeUndefined();
    expect(
      verifyGatewayIdentity(header, DEV_GATEWAY_SHARED_SECRET, now + MAX_IDENTITY_AGE_MS + 1),
    ).toBeUndefined();
    expect(verifyGatewayIdentity(header, undefined, now)).toBeUndefined();
    expect(verifyGatewayIdentity([header], DEV_GATEWAY_SHARED_SECRET, now)).toBeUndefined();
  });

  it('keeps headers it verified, still checking age and secret on every use, sharing nothing mutable', () => {
    const header = signIdentity(caller, DEV_GATEWAY_SHARED_SECRET, now + 5);
    const first = verifyGatewayIdentity(header, DEV_GATEWAY_SHARED_SECRET, now + 10);
    expect(first?.sub).toBe('key:k1');
    expect(
      verifyGatewayIdentity(header, DEV_GATEWAY_SHARED_SECRET, now + MAX_IDENTITY_AGE_MS + 10),
    ).toBeUndefined();
    expect(verifyGatewayIdentity(header, 'y'.repeat(32), now + 10)).toBeUndefined();
    expect(verifyGatewayIdentity(header, DEV_GATEWAY_SHARED_SECRET, now + 10)).toEqual(first);
    expect(() => (first!.scopes as string[]).push('*')).toThrow();
    expect(() => Object.assign(first!, { kind: 'service' })).toThrow();
    expect(verifyGatewayIdentity(header, DEV_GATEWAY_SHARED_SECRET, now + 10)).toEqual({
      sub: 'key:k1',
      kind: 'api-key',
      scopes: ['culture:write'],
      iat: now + 5,
    });
    // More distinct callers than it keeps: each still verifies, the first again after eviction.
    for (let i = 0; i < 1_100; i++) {
      const other = signIdentity({ ...caller, id: `key:${i}` }, DEV_GATEWAY_SHARED_SECRET, now);
      expect(verifyGatewayIdentity(other, DEV_GATEWAY_SHARED_SECRET, now)?.sub).toBe(`key:${i}`);
    }
    expect(verifyGatewayIdentity(header, DEV_GATEWAY_SHARED_SECRET, now + 10)?.iat).toBe(now + 5);
    // A forged header is refused every time (it is never kept).
    const forged = `${header.slice(0, -4)}AAAA`;
    expect(verifyGatewayIdentity(forged, DEV_GATEWAY_SHARED_SECRET, now + 10)).toBeUndefined();
    expect(verifyGatewayIdentity(forged, DEV_GATEWAY_SHARED_SECRET, now + 10)).toBeUndefined();
  });

  it('tries the current secret, then the previous one, and forgets the previous when it goes', () => {
    const [current, previous] = ['c'.repeat(32), 'p'.repeat(32)];
    const header = signIdentity(caller, previous, now);
    expect(verifyGatewayIdentity(header, [current, previous], now)?.sub).toBe('key:k1');
    expect(verifyGatewayIdentity(header, [current, undefined], now)).toBeUndefined();
    expect(verifyGatewayIdentity(header, [], now)).toBeUndefined();
    expect(verifyGatewayIdentity(signIdentity(caller, current, now), [current], now)?.sub).toBe(
      'key:k1',
    );
  });

  it('is HMAC-SHA256 over `v1.<payload>`', () => {
    const header = signIdentity(caller, DEV_GATEWAY_SHARED_SECRET, now);
    const [, payload, mac] = header.split('.');
    expect(mac).toBe(
      createHmac('sha256', DEV_GATEWAY_SHARED_SECRET).update(`v1.${payload}`).digest('base64url'),
    );
  });
});

describe('errors and subgraphs', () => {
  it('passes expected codes, never INTERNAL_SERVER_ERROR', () => {
    expect(CLIENT_SAFE_CODES.has(ErrorCode.BAD_USER_INPUT)).toBe(true);
    expect(CLIENT_SAFE_CODES.has(ErrorCode.SUBGRAPH_REQUEST_TOO_LARGE)).toBe(true);
    expect(CLIENT_SAFE_CODES.has(ErrorCode.INTERNAL_SERVER_ERROR)).toBe(false);
  });

  it('names the four subgraphs in composition order with their default ports', () => {
    expect(SUBGRAPH_NAMES).toEqual(['places', 'culture', 'healthcare', 'commerce']);
    expect(SUBGRAPH_NAMES.map((n) => SUBGRAPH_PORTS[n])).toEqual([4001, 4002, 4003, 4004]);
    expect(subgraphBodyLimit(1_000_000)).toBe(16 * 1024 * 1024);
    expect(subgraphBodyLimit(4_000_000)).toBe(32_000_000);
  });
});

describe('Idempotency-Key', () => {
  it('reads the quoted and the bare spelling as one key', () => {
    expect(idempotencyKeyFrom('8e03978e-40d5')).toBe('8e03978e-40d5');
    expect(idempotencyKeyFrom('"8e03978e-40d5"')).toBe('8e03978e-40d5');
    expect(idempotencyKeyFrom(' "k" ')).toBe('k');
    expect(idempotencyKeyFrom('"a\\"b"')).toBe('a"b');
    expect(idempotencyKeyFrom('"a\\\\b"')).toBe('a\\b');
    expect(idempotencyKeyFrom('"a, b"')).toBe('a, b');
    expect(idempotencyKeyFrom('k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH))).toHaveLength(255);
    expect(idempotencyKeyFrom(`"${'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH)}"`)).toHaveLength(255);
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['not ASCII', 'cl\u00e9'],
    ['a control character', 'a\tb'],
    ['NUL', 'a\u0000b'],
    // A header sent twice arrives joined: not the key the client meant, and not one string.
    ['a repeated header, joined', 'k, k'],
    ['a repeated quoted header, joined', '"k", "k"'],
    ['a bare key with a comma', 'a,b'],
    // Not a Structured Field sf-string (RFC 8941 4.2.5), nor a bare token.
    ['an unterminated sf-string', '"abc'],
    ['an sf-string with text after it', '"a"b"'],
    ['an sf-string with an unknown escape', '"a\\x"'],
    ['an sf-string ending in an escaped quote', '"abc\\"'],
    ['an empty sf-string', '""'],
    ['a bare key with a quote', 'a"b'],
    ['a bare key ending in a quote', 'abc"'],
    ['a bare key with a backslash', '\\'],
  ])('refuses a key that is %s', (_, key) => {
    expect(idempotencyKeyFrom(key)).toBeNull();
  });

  it('refuses a header given twice', () => {
    expect(idempotencyKeyFrom(['k', 'k'])).toBeNull();
    expect(idempotencyKeyFrom(['"k"', '"k"'])).toBeNull();
  });

  it('passes every key on in a spelling that reads back as that key', () => {
    for (const header of ['k', '" k"', '"k "', '"a, b"', '" "', '"a\\"b"', '"\\\\"', '"a,\\\\"']) {
      const key = idempotencyKeyFrom(header)!;
      expect(key).not.toBeNull();
      expect(idempotencyKeyFrom(idempotencyHeaderOf(key))).toBe(key);
    }
    expect(idempotencyHeaderOf('order-7')).toBe('order-7');
  });
});
