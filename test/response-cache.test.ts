import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../gateway/auth/keys.js';
import { startFaultProxy, type FaultProxy } from './support/faults.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import {
  NOTES_SDL,
  startNotesSubgraph,
  writeSupergraph,
  type NotesSubgraph,
} from './support/notes-subgraph.js';

/**
 * The response cache through a real gateway and a real subgraph whose read fields carry a
 * 60-second cache hint (`Note.author` is PRIVATE). The fault proxy counts what reaches the
 * subgraph: a hit is an answer that did not.
 */
const keysPath = join(mkdtempSync(join(tmpdir(), 'rdsg-cache-keys-')), 'keys.json');
const store = new FileKeyStore(keysPath, 0);
let notes: NotesSubgraph;
let proxy: FaultProxy;
let supergraph: string;
const keys: Record<string, string> = {};
const gateways: TestGateway[] = [];

const start = async (env: NodeJS.ProcessEnv) => {
  const gw = await startGateway({
    SUPERGRAPH_PATH: supergraph,
    KEYS_PATH: keysPath,
    KEYS_RELOAD_MS: '0',
    ANONYMOUS_RATE_LIMIT_PER_MINUTE: '0',
    ANONYMOUS_DAILY_QUOTA: '0',
    ...env,
  });
  gateways.push(gw);
  return gw;
};

beforeAll(async () => {
  notes = await startNotesSubgraph(undefined, 60);
  proxy = await startFaultProxy(notes.url);
  supergraph = writeSupergraph([{ name: 'notes', url: proxy.url, sdl: NOTES_SDL }]);
  for (const [name, scopes] of [
    ['admin1', ['notes:admin']],
    ['admin2', ['notes:admin']],
    ['writer', ['notes:write']],
  ] as const) {
    keys[name] = (await store.create({ name, owner: 'tests', scopes: [...scopes] })).key;
  }
});
afterAll(async () => {
  for (const gw of gateways) await gw.close().catch(() => {});
  await proxy?.close();
  await notes?.close();
});

/** Sends a query and tells whether it reached the subgraph. */
async function ask(
  gw: TestGateway,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const before = proxy.requests.query;
  const res = await gw.post(JSON.stringify({ query, variables }), headers);
  const body = await res.json();
  return {
    status: res.status,
    body,
    cacheControl: res.headers.get('cache-control'),
    fetched: proxy.requests.query - before,
  };
}

describe.each(['memory', 'redis'] as const)('the response cache in %s', (mode) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await start({
      RESPONSE_CACHE: mode,
      // A Redis database of its own: a gateway starting in another test file moves every
      // generation in the one it uses (after a (re)connection), which made a hit here a miss.
      ...(mode === 'redis' ? { REDIS_URL: 'redis://127.0.0.1:6379/7', KEY_STORE: 'file' } : {}),
    });
  });
  // Each test uses its own document text (an alias), so runs and modes never share entries.
  const tag = () => `t${mode}${Math.random().toString(36).slice(2, 8)}`;

  it('answers a repeated query from the cache, and a different one from the subgraph', async () => {
    const t = tag();
    const q = `query One($id: ID!) { ${t}: note(id: $id) { id text } }`;
    const first = await ask(gw, q, { id: '1' });
    expect(first).toEqual({
      status: 200,
      body: { data: { [t]: { id: '1', text: 'first' } } },
      cacheControl: 'max-age=60, public',
      fetched: 1,
    });
    expect(await ask(gw, q, { id: '1' })).toEqual({
      ...first,
      cacheControl: expect.stringMatching(/^max-age=(59|60), public$/),
      fetched: 0,
    });
    // Other variables: another answer.
    expect(await ask(gw, q, { id: '999' })).toMatchObject({
      body: { data: { [t]: null } },
      fetched: 1,
    });
  });

  it('tells a hit the max-age left, not the one the answer was first given', async () => {
    const t = tag();
    const q = `{ ${t}: note(id: "1") { id text } }`;
    expect(await ask(gw, q)).toMatchObject({ cacheControl: 'max-age=60, public', fetched: 1 });
    await new Promise((r) => setTimeout(r, 2_100));
    const hit = await ask(gw, q);
    expect(hit.fetched).toBe(0);
    const left = Number(/max-age=(\d+)/.exec(hit.cacheControl ?? '')?.[1]);
    expect(left).toBeLessThanOrEqual(57);
    expect(left).toBeGreaterThanOrEqual(40);
  });

  it('refuses variables nested thousands deep with 400, not a 500', async () => {
    // Parsed fine, they overflowed the stack where the cache serialised them for its key.
    const levels = 5_000;
    const res = await gw.post(
      `{"query":"{ notes { id } }","variables":{"x":${'['.repeat(levels)}${']'.repeat(levels)}}}`,
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('never shares an answer between callers of different scopes', async () => {
    const t = tag();
    const q = `{ ${t}: notes { id text } }`;
    const admin = { 'x-api-key': keys.admin1 };
    expect(await ask(gw, q, {}, admin)).toMatchObject({
      fetched: 1,
      cacheControl: 'max-age=60, private', // authenticated: not for shared HTTP caches
    });
    expect(await ask(gw, q)).toMatchObject({ fetched: 1 }); // anonymous: another scope set
    expect(await ask(gw, q)).toMatchObject({
      fetched: 0,
      cacheControl: expect.stringMatching(/^max-age=(59|60), public$/),
    });
    // The same scope set shares public answers.
    expect(await ask(gw, q, {}, { 'x-api-key': keys.admin2 })).toMatchObject({ fetched: 0 });
  });

  it('keeps a PRIVATE answer for its caller only', async () => {
    const t = tag();
    const q = `{ ${t}: notes { id author } }`;
    const one = await ask(gw, q, {}, { 'x-api-key': keys.admin1 });
    expect(one).toMatchObject({
      fetched: 1,
      cacheControl: 'max-age=60, private',
      body: { data: { [t]: expect.arrayContaining([{ id: '1', author: 'alice' }]) } },
    });
    expect(await ask(gw, q, {}, { 'x-api-key': keys.admin1 })).toMatchObject({ fetched: 0 });
    // Same scopes, another caller: not served the first caller's private answer.
    expect(await ask(gw, q, {}, { 'x-api-key': keys.admin2 })).toMatchObject({ fetched: 1 });
  });

  it('never keeps an answer with errors: after an outage the next request reaches the subgraph', async () => {
    const t = tag();
    const q = `{ ${t}: note(id: "1") { id text } }`;
    proxy.mode = 'down';
    try {
      const failed = await ask(gw, q);
      expect(failed.body.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    } finally {
      proxy.mode = 'pass';
    }
    expect(await ask(gw, q)).toMatchObject({
      body: { data: { [t]: { id: '1', text: 'first' } } },
      fetched: 1,
    });
  });

  it('never caches a mutation, and a mutation invalidates what used its subgraph', async () => {
    const t = tag();
    const q = `{ ${t}: notes { id text } }`;
    const writer = { 'x-api-key': keys.writer };
    const before = (await ask(gw, q, {}, writer)).body.data[t].length;
    expect(await ask(gw, q, {}, writer)).toMatchObject({ fetched: 0 });
    const m = `mutation { addNote(text: "${t}") { id } }`;
    const mutations = proxy.requests.mutation;
    for (let i = 0; i < 2; i++) expect((await ask(gw, m, {}, writer)).status).toBe(200);
    expect(proxy.requests.mutation - mutations).toBe(2);
    const after = await ask(gw, q, {}, writer);
    expect(after.fetched).toBe(1);
    expect(after.body.data[t]).toHaveLength(before + 2);
  });
});

describe('the response cache', () => {
  it('keeps nothing when it is off', async () => {
    const gw = await start({ RESPONSE_CACHE: 'off' });
    const q = `{ off${Date.now()}: notes { id } }`;
    expect(await ask(gw, q)).toMatchObject({ fetched: 1, cacheControl: 'max-age=60, public' });
    expect(await ask(gw, q)).toMatchObject({ fetched: 1 });
  });

  it('keeps nothing a subgraph gave no cache hint for', async () => {
    const plain = await startNotesSubgraph();
    try {
      const path = writeSupergraph([{ name: 'notes', url: plain.url, sdl: NOTES_SDL }]);
      const gw = await start({ RESPONSE_CACHE: 'memory', SUPERGRAPH_PATH: path });
      const res = await gw.post(JSON.stringify({ query: '{ notes { id } }' }));
      expect(res.headers.get('cache-control')).toBe('no-store');
      await res.arrayBuffer();
    } finally {
      await plain.close();
    }
  });
});
