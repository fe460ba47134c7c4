import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../gateway/auth/keys.js';
import { inOneMinute } from './support/clock.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import { TEST_JWT_AUDIENCE, TEST_JWT_ISSUER, testJwt } from './support/jwt.js';
import {
  NOTES_SDL,
  startNotesSubgraph,
  writeSupergraph,
  type NotesSubgraph,
} from './support/notes-subgraph.js';

/**
 * Credentials that fail, counted per client address (AUTH_FAILURES_PER_MINUTE): an address
 * guessing keys or replaying a bad token is answered 429 once over the limit, while a key holder
 * at the same address and every other address go on as before.
 */
const JWT_SECRET = 'a-test-only-hs256-secret-of-at-least-32-chars';
const dir = mkdtempSync(join(tmpdir(), 'rdsg-auth-failures-'));
const keysPath = join(dir, 'keys.json');
let notes: NotesSubgraph;
let gw: TestGateway;
let key: string;

beforeAll(async () => {
  notes = await startNotesSubgraph();
  key = (await new FileKeyStore(keysPath, 0).create({ name: 'p', owner: 'o', scopes: [] })).key;
  gw = await startGateway({
    SUPERGRAPH_PATH: writeSupergraph([{ name: 'notes', url: notes.url, sdl: NOTES_SDL }]),
    KEYS_PATH: keysPath,
    AUTH_FAILURES_PER_MINUTE: '3',
    ANONYMOUS_ACCESS: 'off',
    JWT_SECRET,
    JWT_ISSUER: TEST_JWT_ISSUER,
    JWT_AUDIENCE: TEST_JWT_AUDIENCE,
    // The test's addresses come in X-Forwarded-For from the loopback peer.
    TRUST_PROXY: 'loopback',
  });
});
afterAll(async () => {
  await gw?.close();
  await notes?.close();
  rmSync(dir, { recursive: true, force: true });
});

let next = 1;
/** An address of its own for each run of a scenario. */
const freshAddress = () => `198.51.100.${next++}`;

async function hello(from: string, headers: Record<string, string>) {
  const res = await gw.post('{"query":"{ hello }"}', {
    'apollo-require-preflight': 'true',
    'x-forwarded-for': from,
    ...headers,
  });
  return {
    status: res.status,
    code: ((await res.json()) as { errors?: { extensions: { code: string } }[] }).errors?.[0]
      ?.extensions.code,
    retryAfter: res.headers.get('retry-after') !== null,
  };
}

const refused = { status: 429, code: 'AUTHENTICATION_RATE_LIMITED', retryAfter: true };

describe('failed credentials per address', () => {
  it('answers 429 past the limit, and still admits a valid key from that address', async () => {
    await inOneMinute(async () => {
      const guesser = freshAddress();
      for (let i = 0; i < 3; i++) {
        expect(await hello(guesser, { 'x-api-key': `rdsg_guess${i}` })).toMatchObject({
          status: 401,
          code: 'INVALID_CREDENTIALS',
        });
      }
      expect(await hello(guesser, { 'x-api-key': 'rdsg_guess4' })).toEqual(refused);
      expect(await hello(guesser, {})).toEqual(refused); // no credentials at all
      const token = await testJwt('another-secret-of-at-least-thirty-two-chars', {}, '5m');
      expect(await hello(guesser, { authorization: `Bearer ${token}` })).toEqual(refused);
      // The key holder behind the same address is not locked out, nor is the key.
      expect(await hello(guesser, { 'x-api-key': key })).toEqual({
        status: 200,
        code: undefined,
        retryAfter: false,
      });
      const good = await testJwt(JWT_SECRET, {}, '5m');
      expect((await hello(guesser, { authorization: `Bearer ${good}` })).status).toBe(200);
      const metrics = await (await fetch(gw.url.replace(/graphql$/, 'metrics'))).text();
      expect(metrics).toMatch(/^gateway_auth_failures_limited_total [1-9]/m);
      // Another address is not refused for the first one's failures.
      expect(await hello(freshAddress(), { 'x-api-key': 'rdsg_guess5' })).toMatchObject({
        status: 401,
        code: 'INVALID_CREDENTIALS',
      });
    });
  });
});
