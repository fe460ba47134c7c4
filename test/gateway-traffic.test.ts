import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../gateway/auth/keys.js';
import { WRITE_UNKNOWN_NO_KEY_MESSAGE } from '../gateway/upstream/unavailable.js';
import { inOneMinute } from './support/clock.js';
import { startFaultProxy, type FaultProxy } from './support/faults.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import {
  NOTES_SDL,
  startNotesSubgraph,
  writeSupergraph,
  type NotesSubgraph,
} from './support/notes-subgraph.js';

const dir = mkdtempSync(join(tmpdir(), 'rdsg-traffic-'));
const keysPath = join(dir, 'keys.json');
const store = new FileKeyStore(keysPath, 0);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let notes: NotesSubgraph;
let proxy: FaultProxy;
let supergraph: string;
const gateways: TestGateway[] = [];
const start = async (env: NodeJS.ProcessEnv) => {
  const gw = await startGateway({
    SUPERGRAPH_PATH: supergraph,
    KEYS_PATH: keysPath,
    KEYS_RELOAD_MS: '0',
    ...env,
  });
  gateways.push(gw);
  return gw;
};

beforeAll(async () => {
  notes = await startNotesSubgraph();
  proxy = await startFaultProxy(notes.url);
  supergraph = writeSupergraph([{ name: 'notes', url: proxy.url, sdl: NOTES_SDL }]);
});
afterAll(async () => {
  for (const gw of gateways) await gw.close().catch(() => {});
  await proxy?.close();
  await notes?.close();
});

describe('quotas', () => {
  it('answers the (N+1)-th request of a key in the minute with 429 and Retry-After', async () => {
    const gw = await start({});
    await inOneMinute(async () => {
      const { key } = await store.create({
        name: 'small',
        owner: 'acme',
        scopes: [],
        rateLimitPerMinute: 3,
      });
      for (let i = 0; i < 3; i++) {
        expect((await gw.query('{ hello }', undefined, { 'x-api-key': key })).status).toBe(200);
      }
      const res = await gw.post(JSON.stringify({ query: '{ hello }' }), { 'x-api-key': key });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await res.json()).toEqual({
        errors: [
          { message: 'Too many requests; slow down.', extensions: { code: 'RATE_LIMITED' } },
        ],
      });
    });
  });

  it('answers QUOTA_EXCEEDED once the daily quota is used up', async () => {
    const gw = await start({});
    const { key } = await store.create({ name: 'daily', owner: 'acme', scopes: [], dailyQuota: 2 });
    for (let i = 0; i < 2; i++) {
      expect((await gw.query('{ hello }', undefined, { 'x-api-key': key })).status).toBe(200);
    }
    const res = await gw.query('{ hello }', undefined, { 'x-api-key': key });
    expect(res.status).toBe(429);
    expect(res.body.errors?.[0].extensions?.code).toBe('QUOTA_EXCEEDED');
  });

  it('shares the counts between two gateway replicas through Redis', async () => {
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', KEY_STORE: 'file' };
    const [a, b] = [await start(env), await start(env)];
    await inOneMinute(async () => {
      const { key } = await store.create({
        name: 'shared',
        owner: 'acme',
        scopes: [],
        rateLimitPerMinute: 4,
      });
      const h = { 'x-api-key': key };
      const statuses = [];
      for (const gw of [a, b, a, b, a, b])
        statuses.push((await gw.query('{ hello }', undefined, h)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    });
  });
});

describe('trusted documents and persisted queries', () => {
  const REGISTERED = 'query Notes { notes { id text } }';

  it('restricts a partner key to the registered operations', async () => {
    const manifest = join(dir, 'manifest.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: sha256(REGISTERED), name: 'Notes', type: 'query', body: REGISTERED }],
      }),
    );
    const gw = await start({ TRUSTED_DOCUMENTS_PATH: manifest });
    const { key } = await store.create({
      name: 'partner',
      owner: 'p',
      scopes: [],
      trustedDocumentsOnly: true,
    });
    const h = { 'x-api-key': key };
    const byHash = await gw.post(
      JSON.stringify({
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256(REGISTERED) } },
      }),
      h,
    );
    expect(await byHash.json()).toEqual({ data: { notes: [{ id: '1', text: 'first' }] } });
    expect((await gw.query(REGISTERED, undefined, h)).body.data).toEqual({
      notes: [{ id: '1', text: 'first' }],
    });
    const other = await gw.query('{ hello }', undefined, h);
    expect(other.status).toBe(400);
    expect(other.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    // Other callers are not restricted.
    expect((await gw.query('{ hello }')).body).toEqual({ data: { hello: 'hello' } });
  });

  it('keeps automatic persisted queries for frontends', async () => {
    const gw = await start({});
    const q = '{ hello }';
    const ext = { persistedQuery: { version: 1, sha256Hash: sha256(q) } };
    const miss = (await (await gw.post(JSON.stringify({ extensions: ext }))).json()) as {
      errors: { extensions: { code: string } }[];
    };
    expect(miss.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(await (await gw.post(JSON.stringify({ query: q, extensions: ext }))).json()).toEqual({
      data: { hello: 'hello' },
    });
    expect(await (await gw.post(JSON.stringify({ extensions: ext }))).json()).toEqual({
      data: { hello: 'hello' },
    });
  });
});

describe('retries', () => {
  it('retries a failed query but never a mutation', async () => {
    const gw = await start({
      SUBGRAPH_RETRIES: '2',
      SUBGRAPH_RETRY_BACKOFF_MS: '5',
      BREAKER_FAILURE_THRESHOLD: '100',
    });
    const { key } = await store.create({ name: 'w', owner: 'acme', scopes: ['notes:write'] });
    proxy.mode = 'error500';
    proxy.requests = { query: 0, mutation: 0 };
    try {
      const before = notes.notes.length;
      const m = await gw.query('mutation { addNote(text: "once") { id } }', undefined, {
        'x-api-key': key,
      });
      expect(m.body).toEqual({
        data: { addNote: null },
        errors: [
          {
            message: WRITE_UNKNOWN_NO_KEY_MESSAGE,
            path: ['addNote'],
            extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
          },
        ],
      });
      expect(proxy.requests.mutation).toBe(1);
      expect(notes.notes).toHaveLength(before);
      const q = await gw.query('{ notes { id } }');
      expect(q.body.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      expect(JSON.stringify(q.body)).not.toMatch(/SELECT|\/srv|127\.0\.0\.1|500/);
      expect(proxy.requests.query).toBe(3);
    } finally {
      proxy.mode = 'pass';
    }
  });

  it('treats a garbage answer as unavailable, without passing it on', async () => {
    const gw = await start({ SUBGRAPH_RETRIES: '0' });
    proxy.mode = 'garbage';
    try {
      const res = await gw.query('{ hello }');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: null,
        errors: [
          {
            message: 'A part of the graph is unavailable right now.',
            path: ['hello'],
            extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
          },
        ],
      });
    } finally {
      proxy.mode = 'pass';
    }
  });
});

describe('operations', () => {
  it('reloads the supergraph when the file changes, and keeps it when the new one is invalid', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rdsg-reload-')), 'supergraph.graphql');
    const withoutHello = NOTES_SDL.replace(/"A public greeting\."\s*hello: String!/, '');
    writeFileSync(path, readComposed(withoutHello));
    const gw = await start({ SUPERGRAPH_PATH: path, SUPERGRAPH_WATCH: 'true' });
    expect((await gw.query('{ hello }')).body.errors?.[0].extensions?.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    writeFileSync(path, readComposed(NOTES_SDL));
    await until(async () => (await gw.query('{ hello }')).body.data?.hello === 'hello');
    writeFileSync(path, 'this is not a supergraph');
    await new Promise((r) => setTimeout(r, 1_500)); // several polls of the file
    expect((await gw.query('{ hello }')).body).toEqual({ data: { hello: 'hello' } });
  });

  it('finishes in-flight requests on shutdown and then stops accepting', async () => {
    const gw = await startGateway({
      SUPERGRAPH_PATH: supergraph,
      SUBGRAPH_TIMEOUT_MS: '500',
      SUBGRAPH_RETRIES: '0',
    });
    proxy.mode = 'hang';
    proxy.requests = { query: 0, mutation: 0 };
    try {
      const inFlight = gw.query('{ notes { id } }');
      await until(async () => proxy.requests.query > 0);
      await gw.close();
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(res.body.errors?.[0].extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
      await expect(gw.query('{ hello }')).rejects.toThrow();
    } finally {
      proxy.mode = 'pass';
    }
  });
});

function readComposed(sdl: string): string {
  const file = writeSupergraph([{ name: 'notes', url: proxy.url, sdl }]);
  return readFileSync(file, 'utf8');
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
