import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../gateway/auth/keys.js';
import { TEST_JWT_AUDIENCE, TEST_JWT_ISSUER, testJwt } from './support/jwt.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import {
  startNotesSubgraph,
  writeSupergraph,
  NOTES_SDL,
  type NotesSubgraph,
} from './support/notes-subgraph.js';
import { postGraphQL } from './support/subgraph.js';

const JWT_SECRET = 'a-test-only-hs256-secret-of-at-least-32-chars';
const dir = mkdtempSync(join(tmpdir(), 'rdsg-auth-'));
const keysPath = join(dir, 'keys.json');
const auditPath = join(dir, 'audit.log');
const store = new FileKeyStore(keysPath, 0);

let notes: NotesSubgraph;
let gw: TestGateway;
let reader: string;
let writer: string;
let revoked: string;
let admin: string;

const jwt = (claims: Record<string, unknown>, exp: string | number = '5m') =>
  testJwt(JWT_SECRET, claims, exp);

beforeAll(async () => {
  notes = await startNotesSubgraph();
  const supergraph = writeSupergraph([{ name: 'notes', url: notes.url, sdl: NOTES_SDL }]);
  reader = (await store.create({ name: 'reader', owner: 'acme', scopes: [] })).key;
  writer = (await store.create({ name: 'writer', owner: 'acme', scopes: ['notes:write'] })).key;
  admin = (await store.create({ name: 'admin', owner: 'ops', scopes: ['notes:admin'] })).key;
  const r = await store.create({ name: 'old', owner: 'acme', scopes: ['notes:write'] });
  revoked = r.key;
  await store.revoke(r.record.id);
  gw = await startGateway({
    SUPERGRAPH_PATH: supergraph,
    KEYS_PATH: keysPath,
    KEYS_RELOAD_MS: '0',
    JWT_SECRET,
    JWT_ISSUER: TEST_JWT_ISSUER,
    JWT_AUDIENCE: TEST_JWT_AUDIENCE,
    AUDIT_LOG_PATH: auditPath,
    INTROSPECTION: 'false',
    FIELD_SUGGESTIONS: 'false',
  });
});
afterAll(async () => {
  await gw?.close();
  await notes?.close();
});

const ADD = 'mutation Add($text: String!) { addNote(text: $text) { id text } }';

describe('credentials', () => {
  it('answers 401 with a stable code for a bad, revoked or expired credential', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'x-api-key': 'rdsg_not-a-real-key' }, 'INVALID_CREDENTIALS'],
      [{ 'x-api-key': revoked }, 'CREDENTIALS_REVOKED'],
      [
        { authorization: `Bearer ${await jwt({}, Math.floor(Date.now() / 1000) - 60)}` },
        'CREDENTIALS_EXPIRED',
      ],
      [{ authorization: 'Bearer not.a.jwt' }, 'INVALID_CREDENTIALS'],
      [{ authorization: 'Basic dXNlcjpwYXNz' }, 'INVALID_CREDENTIALS'],
    ];
    for (const [headers, code] of cases) {
      const res = await gw.query('{ hello }', undefined, headers);
      expect(res.status).toBe(401);
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    }
  });

  it('allows an issuer a clock a few seconds ahead (`nbf`), not minutes', async () => {
    const at = (s: number) => Math.floor(Date.now() / 1000) + s;
    const ask = async (nbf: number) =>
      (await gw.query('{ hello }', undefined, { authorization: `Bearer ${await jwt({ nbf })}` }))
        .body;
    expect(await ask(at(5))).toEqual({ data: { hello: 'hello' } });
    expect((await ask(at(120))).errors?.map((e) => e.extensions?.code)).toEqual([
      'INVALID_CREDENTIALS',
    ]);
  });

  it('lets anonymous callers read public fields but not write', async () => {
    expect((await gw.query('{ hello }')).body).toEqual({ data: { hello: 'hello' } });
    const res = await gw.query(ADD, { text: 'anon' });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('accepts a valid JWT and applies its scopes', async () => {
    const token = await jwt({ scope: 'notes:admin' });
    const res = await gw.query('{ notes { id author remark } }', undefined, {
      authorization: `Bearer ${token}`,
    });
    expect(res.body).toEqual({ data: { notes: [{ id: '1', author: 'alice', remark: 'fine' }] } });
  });

  it('refuses everyone without credentials when anonymous access is off', async () => {
    const closed = await startGateway({
      SUPERGRAPH_PATH: writeSupergraph([{ name: 'notes', url: notes.url, sdl: NOTES_SDL }]),
      ANONYMOUS_ACCESS: 'off',
    });
    try {
      const res = await closed.query('{ hello }');
      expect(res.status).toBe(401);
      expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await closed.close();
    }
  });

  it('stops accepting a key as soon as it is revoked', async () => {
    const { key, record } = await store.create({ name: 'temp', owner: 'acme', scopes: [] });
    expect((await gw.query('{ hello }', undefined, { 'x-api-key': key })).status).toBe(200);
    await new FileKeyStore(keysPath, 0).revoke(record.id); // as the CLI would, from outside
    const res = await gw.query('{ hello }', undefined, { 'x-api-key': key });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0].extensions?.code).toBe('CREDENTIALS_REVOKED');
  });
});

describe('@authenticated and @requiresScopes, enforced at the gateway', () => {
  it('nulls the fields a caller may not see with FORBIDDEN at their paths, keeping the rest', async () => {
    const res = await gw.query('{ hello notes { id text author remark } }', undefined, {
      'x-api-key': reader,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: { hello: 'hello', notes: [{ id: '1', text: 'first', author: 'alice', remark: null }] },
      errors: [
        {
          message: '`Note.remark` needs the scope `notes:admin`.',
          path: ['notes', 0, 'remark'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
    const anon = await gw.query('{ notes { text writtenBy: author } }');
    expect(anon.body).toEqual({
      data: { notes: [{ text: 'first', writtenBy: null }] },
      errors: [
        {
          message: 'Authentication is required to see `Note.author`.',
          path: ['notes', 0, 'writtenBy'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
  });

  it('refuses a mutation without the write scope with FORBIDDEN, and writes nothing', async () => {
    const before = notes.notes.length;
    const res = await gw.query(ADD, { text: 'not allowed' }, { 'x-api-key': reader });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: { addNote: null },
      errors: [
        {
          message: '`Mutation.addNote` needs the scope `notes:write`.',
          path: ['addNote'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
    expect(notes.notes).toHaveLength(before);
  });

  it('runs the mutation for a key with the write scope, signed for the subgraph', async () => {
    const res = await gw.query(ADD, { text: 'allowed' }, { 'x-api-key': writer });
    expect(res.body).toEqual({
      data: { addNote: { id: String(notes.notes.length), text: 'allowed' } },
    });
    const record = (await store.list()).find((r) => r.name === 'writer')!;
    expect(notes.notes.at(-1)).toEqual({
      id: String(notes.notes.length),
      text: 'allowed',
      author: `key:${record.id}`,
    });
  });

  it('is not an open door when the subgraph is called directly', async () => {
    const before = notes.notes.length;
    const direct = await postGraphQL(notes.url, ADD, { text: 'bypass' });
    expect(direct.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const forged = await postGraphQL(
      notes.url,
      ADD,
      { text: 'forged' },
      {
        'x-gateway-identity': `v1.${Buffer.from(JSON.stringify({ sub: 'x', kind: 'api-key', scopes: ['notes:write'], iat: Date.now() })).toString('base64url')}.AAAA`,
      },
    );
    expect(forged.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(notes.notes).toHaveLength(before);
  });
});

describe('schema exposure', () => {
  it('allows introspection and field suggestions only to keys with schema:introspect', async () => {
    const analyst = (
      await store.create({ name: 'analyst', owner: 'lab', scopes: ['schema:introspect'] })
    ).key;
    const denied = await gw.query('{ __schema { queryType { name } } }', undefined, {
      'x-api-key': reader,
    });
    expect(denied.status).toBe(400);
    expect(denied.body.errors?.[0].extensions?.code).toBe('INTROSPECTION_DISABLED');
    const allowed = await gw.query('{ __schema { queryType { name } } }', undefined, {
      'x-api-key': analyst,
    });
    expect(allowed.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    const typo = await gw.query('{ helo }', undefined, { 'x-api-key': reader });
    expect(typo.body.errors?.[0]).toMatchObject({
      message: 'Cannot query field "helo" on type "Query".',
    });
    const hinted = await gw.query('{ helo }', undefined, { 'x-api-key': analyst });
    expect(hinted.body.errors?.[0].message).toMatch(/Did you mean "hello"\?/);
  });
});

describe('the audit log', () => {
  it('audits a body the client cut short as 499, runs nothing and counts no request', async () => {
    const requests = async () =>
      [
        ...(await (await fetch(new URL('/metrics', gw.url))).text()).matchAll(
          /^gateway_graphql_requests_total\{.*\} (\d+)$/gm,
        ),
      ]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
    await gw.query(ADD, { text: 'counted' }, { 'x-api-key': writer });
    const before = await requests();
    expect(before).toBeGreaterThan(0);
    const body = JSON.stringify({ query: 'mutation { addNote(text: "cut short") { id } }' });
    // The whole mutation sent, but 100 bytes more announced; then the connection is closed.
    const client = connect(gw.running.port, '127.0.0.1');
    client.on('error', () => {});
    client.write(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `X-Api-Key: ${writer}\r\nX-Request-Id: cut-body\r\n` +
        `Content-Length: ${body.length + 100}\r\n\r\n${body}`,
    );
    await new Promise((r) => setTimeout(r, 100));
    client.destroy();
    let line: string | undefined;
    for (let i = 0; i < 100 && !line; i++) {
      await new Promise((r) => setTimeout(r, 20));
      line = readFileSync(auditPath, 'utf8')
        .split('\n')
        .find((l) => l.includes('"cut-body"'));
    }
    expect(JSON.parse(line!)).toMatchObject({ status: 499, result: 'CLIENT_CLOSED_REQUEST' });
    expect(notes.notes.map((n) => n.text)).not.toContain('cut short');
    expect(await requests()).toBe(before);
  });

  it('records who ran what, never variables or keys', async () => {
    const secretText = 'variable-value-that-must-not-be-logged';
    await gw.query(ADD, { text: secretText }, { 'x-api-key': writer });
    await gw.running.close().catch(() => {}); // flushes; the gateway is restarted below
    const lines = readFileSync(auditPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const last = lines.at(-1);
    expect(last).toMatchObject({
      stream: 'audit',
      callerKind: 'api-key',
      callerName: 'writer',
      owner: 'acme',
      operationName: 'Add',
      operationType: 'mutation',
      sensitiveFields: ['Mutation.addNote'],
      status: 200,
      result: 'ok',
    });
    expect(last.documentHash).toMatch(/^[0-9a-f]{64}$/);
    const all = readFileSync(auditPath, 'utf8');
    expect(all).not.toContain(secretText);
    for (const key of [reader, writer, admin]) expect(all).not.toContain(key);
    expect(lines.some((l) => l.result === 'CREDENTIALS_REVOKED' && l.status === 401)).toBe(true);
    gw = await startGateway({
      SUPERGRAPH_PATH: writeSupergraph([{ name: 'notes', url: notes.url, sdl: NOTES_SDL }]),
    });
  });
});
