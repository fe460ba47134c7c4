import { Redis } from 'ioredis';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../gateway/auth/keys.js';
import { RedisKeyStore } from '../gateway/auth/redis-keys.js';
import { startFaultProxy, type FaultProxy } from './support/faults.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import {
  NOTES_SDL,
  startNotesSubgraph,
  writeSupergraph,
  type NotesSubgraph,
} from './support/notes-subgraph.js';

/**
 * What the gateway does to do less work per request, seen from outside: identical concurrent
 * subgraph queries share one fetch (never mutations, never across scope sets), large answers
 * are compressed for clients that accept it, and API-key records are cached no longer than the
 * reload interval.
 */
const keysPath = join(mkdtempSync(join(tmpdir(), 'rdsg-perf-keys-')), 'keys.json');
let notes: NotesSubgraph;
let proxy: FaultProxy;
let gw: TestGateway;
let writer: string;
let admin: string;

beforeAll(async () => {
  notes = await startNotesSubgraph();
  proxy = await startFaultProxy(notes.url);
  const supergraph = writeSupergraph([{ name: 'notes', url: proxy.url, sdl: NOTES_SDL }]);
  const store = new FileKeyStore(keysPath, 0);
  writer = (await store.create({ name: 'w', owner: 't', scopes: ['notes:write'] })).key;
  admin = (await store.create({ name: 'a', owner: 't', scopes: ['notes:admin'] })).key;
  gw = await startGateway({
    SUPERGRAPH_PATH: supergraph,
    KEYS_PATH: keysPath,
    ANONYMOUS_RATE_LIMIT_PER_MINUTE: '0',
    ANONYMOUS_DAILY_QUOTA: '0',
    // Ends the hung fetches below, and must not end one that passes: at load 21, 400 ms did
    // (SUBGRAPH_UNAVAILABLE for a five-field answer, 3 of 3 runs), and the six requests of the
    // deduplication test must all join the hung fetch before it ends.
    SUBGRAPH_TIMEOUT_MS: '3000',
    SUBGRAPH_RETRIES: '0',
    BREAKER_FAILURE_THRESHOLD: '1000',
    COMPRESSION_MIN_BYTES: '100',
  });
});
afterAll(async () => {
  await gw?.close();
  await proxy?.close();
  await notes?.close();
});

const codes = (body: { errors?: { extensions?: { code?: string } }[] }) =>
  (body.errors ?? []).map((e) => e.extensions?.code);

describe('in-flight deduplication of subgraph fetches', () => {
  it('sends identical concurrent queries of one scope set to the subgraph once', async () => {
    proxy.mode = 'hang'; // nothing answers: every request is in flight at once
    try {
      const before = proxy.requests.query;
      const q = '{ dedupe: notes { id text } }';
      const answers = await Promise.all([
        ...Array.from({ length: 4 }, () => gw.query(q)),
        ...Array.from({ length: 2 }, () => gw.query(q, {}, { 'x-api-key': admin })),
      ]);
      for (const a of answers) expect(codes(a.body)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      // One fetch for the anonymous callers, one for the notes:admin scope set.
      expect(proxy.requests.query - before).toBe(2);
    } finally {
      proxy.mode = 'pass';
    }
  });

  it('never shares a mutation', async () => {
    proxy.mode = 'hang';
    try {
      const before = proxy.requests.mutation;
      const m = 'mutation { addNote(text: "same") { id } }';
      await Promise.all(Array.from({ length: 3 }, () => gw.query(m, {}, { 'x-api-key': writer })));
      expect(proxy.requests.mutation - before).toBe(3);
    } finally {
      proxy.mode = 'pass';
    }
  });

  it('gives each caller its own copy of a shared answer', async () => {
    const q = '{ copies: notes { id text } }';
    const answers = await Promise.all(Array.from({ length: 5 }, () => gw.query(q)));
    const first = answers[0].body;
    expect(first.data).toMatchObject({
      copies: expect.arrayContaining([{ id: '1', text: 'first' }]),
    });
    for (const a of answers) expect(a.body).toEqual(first);
  });
});

describe('compression', () => {
  const query = JSON.stringify({
    query: `{ ${Array.from({ length: 20 }, (_, i) => `h${i}: hello`).join(' ')} }`,
  });

  it('compresses large answers for clients that accept gzip', async () => {
    const text = await (await gw.post(query, { 'accept-encoding': 'identity' })).text();
    expect(text.length).toBeGreaterThan(100);
    // fetch would decompress by itself: read the raw bytes with node:http instead.
    const { request } = await import('node:http');
    const url = new URL(gw.url);
    const raw = await new Promise<{ encoding?: string; vary?: string; bytes: Buffer }>(
      (resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: { 'content-type': 'application/json', 'accept-encoding': 'br, gzip' },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                encoding: res.headers['content-encoding'],
                vary: String(res.headers.vary),
                bytes: Buffer.concat(chunks),
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(query);
      },
    );
    expect(raw.encoding).toBe('gzip');
    expect(raw.vary).toMatch(/Accept-Encoding/);
    expect(gunzipSync(raw.bytes).toString('utf8')).toBe(text);
  });

  it('sends small answers as they are', async () => {
    const res = await gw.post(JSON.stringify({ query: '{ hello }' }), {
      'accept-encoding': 'gzip',
    });
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.json()).toEqual({ data: { hello: 'hello' } });
  });
});

describe('API keys in Redis', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  });
  afterAll(() => redis?.disconnect());

  it('serves a key from memory within the reload interval, and sees a revocation after it', async () => {
    const hash = `rdsg:test-keys:${Date.now()}`;
    const gatewayStore = new RedisKeyStore(redis, hash, 300);
    const cli = new RedisKeyStore(redis, hash, 0);
    const { key, record } = await cli.create({ name: 'k', owner: 't', scopes: [] });
    expect((await gatewayStore.lookup(key))?.revokedAt).toBeUndefined();
    await cli.revoke(record.id);
    // Within the interval the record is not read again…
    expect((await gatewayStore.lookup(key))?.revokedAt).toBeUndefined();
    await new Promise((r) => setTimeout(r, 350));
    // …after it, the revocation holds.
    expect((await gatewayStore.lookup(key))?.revokedAt).toBeDefined();
    await redis.del(hash);
  });
});
