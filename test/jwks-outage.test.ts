import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JWKS_BYTES, remoteKeys } from '../gateway/auth/jwks.js';
import { KeyStoreUnavailable } from '../gateway/auth/keys.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import { TEST_JWT_AUDIENCE, TEST_JWT_ISSUER } from './support/jwt.js';
import {
  NOTES_SDL,
  startNotesSubgraph,
  writeSupergraph,
  type NotesSubgraph,
} from './support/notes-subgraph.js';

/**
 * Tokens verified with the keys of a JWKS URL (JWT_JWKS_URL) while that URL fails (the identity
 * provider down or answering 5xx): a valid token is never answered 401 as if it were bad. With
 * no key set loaded yet it cannot be checked (503 KEY_STORE_UNAVAILABLE + Retry-After); once a
 * set was loaded, that set answers, as the last API keys loaded answer while Redis is down.
 */
let jwksUp = false;
let jwk: JWK;
let served: () => JWK[] = () => [jwk];
let padding = 0;
let token: string;
let jwksServer: Server;
let jwksUrl: URL;
let notes: NotesSubgraph;
let gw: TestGateway;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  jwk = { ...(await exportJWK(publicKey)), kid: 'partner-1', alg: 'RS256', use: 'sig' };
  token = await new SignJWT({ scope: 'notes:read' })
    .setProtectedHeader({ alg: 'RS256', kid: 'partner-1' })
    .setIssuer(TEST_JWT_ISSUER)
    .setAudience(TEST_JWT_AUDIENCE)
    .setSubject('partner-app')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
  jwksServer = createServer((_, res) => {
    if (!jwksUp) return void res.writeHead(503).end('down for maintenance');
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: served() }) + ' '.repeat(padding));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = new URL(`http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`);
  notes = await startNotesSubgraph();
  gw = await startGateway({
    SUPERGRAPH_PATH: writeSupergraph([{ name: 'notes', url: notes.url, sdl: NOTES_SDL }]),
    JWT_JWKS_URL: jwksUrl.href,
    JWT_ISSUER: TEST_JWT_ISSUER,
    JWT_AUDIENCE: TEST_JWT_AUDIENCE,
  });
});
afterAll(async () => {
  await gw?.close();
  await notes?.close();
  jwksServer?.closeAllConnections();
  await new Promise((resolve) => jwksServer?.close(resolve));
});

describe('a token whose JWKS URL fails', () => {
  it('is answered 503 KEY_STORE_UNAVAILABLE until a key set is loaded, never a false 401', async () => {
    jwksUp = false;
    const down = await gw.post(JSON.stringify({ query: '{ hello }' }), {
      authorization: `Bearer ${token}`,
    });
    const answer = (await down.json()) as { errors: { extensions: { code: string } }[] };
    expect([down.status, down.headers.get('retry-after')]).toEqual([503, '5']);
    expect(answer.errors.map((e) => e.extensions.code)).toEqual(['KEY_STORE_UNAVAILABLE']);
    jwksUp = true;
    const up = await gw.query('{ hello }', undefined, { authorization: `Bearer ${token}` });
    expect([up.status, up.body]).toEqual([200, { data: { hello: 'hello' } }]);
    // A token that is bad still is: 401.
    const bad = await gw.query('{ hello }', undefined, { authorization: `Bearer ${token}x` });
    expect(bad.body.errors?.map((e) => e.extensions?.code)).toEqual(['INVALID_CREDENTIALS']);
  });

  it('is verified with the last key set loaded once the set is due again and the URL fails', async () => {
    jwksUp = true;
    // A set due again at once (the gateway's is kept 10 minutes): every verification asks the URL.
    const keys = remoteKeys(jwksUrl, { cacheMaxAge: 0, cooldownDuration: 0 });
    const verify = () =>
      jwtVerify(token, keys, { issuer: TEST_JWT_ISSUER, audience: TEST_JWT_AUDIENCE });
    expect((await verify()).payload.sub).toBe('partner-app');
    jwksUp = false;
    for (let i = 0; i < 3; i++) expect((await verify()).payload.sub).toBe('partner-app');
  });

  // A key rotated in while the URL fails: the last set lacks its kid. It was 401 (a valid token
  // taken for a bad one), and once the URL served the new key it stayed 401 for 30 s, the last
  // set answering without asking.
  it('a key the last set lacks is 503 while the URL fails, and verified once the URL serves it', async () => {
    const next = await generateKeyPair('RS256');
    const rotated = { ...(await exportJWK(next.publicKey)), kid: 'partner-2', alg: 'RS256' };
    const newToken = await new SignJWT({ scope: 'notes:read' })
      .setProtectedHeader({ alg: 'RS256', kid: 'partner-2' })
      .setIssuer(TEST_JWT_ISSUER)
      .setAudience(TEST_JWT_AUDIENCE)
      .setSubject('partner-app')
      .setExpirationTime('10m')
      .sign(next.privateKey);
    jwksUp = true;
    const keys = remoteKeys(jwksUrl, { cacheMaxAge: 0, cooldownDuration: 0 });
    const verify = (t: string) =>
      jwtVerify(t, keys, { issuer: TEST_JWT_ISSUER, audience: TEST_JWT_AUDIENCE });
    try {
      expect((await verify(token)).payload.sub).toBe('partner-app');
      jwksUp = false;
      await expect(verify(newToken)).rejects.toBeInstanceOf(KeyStoreUnavailable);
      expect((await verify(token)).payload.sub).toBe('partner-app');
      served = () => [jwk, rotated];
      jwksUp = true;
      expect((await verify(newToken)).payload.sub).toBe('partner-app');
    } finally {
      served = () => [jwk];
    }
  });

  // jose reads a set's body whole, for as long as its 5 s timeout lets it: a URL answering
  // gigabytes was held in memory. Over MAX_JWKS_BYTES it is a failing URL.
  it('refuses a key set over the size bound as a failing URL: 503, no key read from it', async () => {
    jwksUp = true;
    padding = MAX_JWKS_BYTES * 4;
    try {
      const keys = remoteKeys(jwksUrl);
      const verify = jwtVerify(token, keys, {
        issuer: TEST_JWT_ISSUER,
        audience: TEST_JWT_AUDIENCE,
      });
      await expect(verify).rejects.toBeInstanceOf(KeyStoreUnavailable);
    } finally {
      padding = 0;
    }
  });
});
