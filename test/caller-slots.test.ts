import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../gateway/auth/keys.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import { startHoldingProxy, type HoldingProxy } from './support/holding-proxy.js';
import {
  NOTES_SDL,
  startNotesSubgraph,
  writeSupergraph,
  type NotesSubgraph,
} from './support/notes-subgraph.js';

/**
 * MAX_IN_FLIGHT_PER_CALLER: one caller's requests answered at once. Its further ones are 429
 * CONCURRENCY_LIMITED with Retry-After, counted nowhere, while other callers (another key, an
 * anonymous address) and /healthz are answered; a slot is free once its request is answered.
 * Before, one key could hold any number of expensive requests in the gateway at once within its
 * per-minute quota.
 */
const dir = mkdtempSync(join(tmpdir(), 'rdsg-slots-'));
const keysPath = join(dir, 'keys.json');
let notes: NotesSubgraph;
let gw: TestGateway;
let first: string;
let second: string;
let proxy: HoldingProxy;

beforeAll(async () => {
  notes = await startNotesSubgraph();
  proxy = await startHoldingProxy(notes.url, 'hold');
  const supergraph = writeSupergraph([{ name: 'notes', url: proxy.url, sdl: NOTES_SDL }]);
  const store = new FileKeyStore(keysPath, 0);
  first = (await store.create({ name: 'one', owner: 't', scopes: [] })).key;
  second = (await store.create({ name: 'two', owner: 't', scopes: [] })).key;
  gw = await startGateway({
    SUPERGRAPH_PATH: supergraph,
    KEYS_PATH: keysPath,
    ANONYMOUS_RATE_LIMIT_PER_MINUTE: '0',
    ANONYMOUS_DAILY_QUOTA: '0',
    RATE_LIMIT_PER_MINUTE: '4',
    DAILY_QUOTA: '0',
    SUBGRAPH_RETRIES: '0',
    MAX_IN_FLIGHT_PER_CALLER: '2',
  });
});
afterAll(async () => {
  await gw?.close();
  await proxy?.close();
  await notes?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Two documents: identical ones in flight at once would share one subgraph fetch. */
const hold = (n: number) => `{ note(id: "hold${n}") { id } }`;
const codeOf = (body: { errors?: { extensions?: { code?: string } }[] }) =>
  body.errors?.[0]?.extensions?.code;

async function until(check: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('MAX_IN_FLIGHT_PER_CALLER', () => {
  it("refuses a caller's request past its slots, answers other callers, frees a slot when done", async () => {
    const running = [1, 2].map((n) => gw.query(hold(n), {}, { 'x-api-key': first }));
    await until(() => proxy.held.length === 2);

    const refused = await gw.post(JSON.stringify({ query: '{ hello }' }), { 'x-api-key': first });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(codeOf((await refused.json()) as never)).toBe('CONCURRENCY_LIMITED');

    // Another key, an anonymous caller and /healthz are answered meanwhile.
    const other = await gw.query('{ hello }', {}, { 'x-api-key': second });
    expect(other.body).toEqual({ data: { hello: 'hello' } });
    expect((await gw.query('{ hello }')).body).toEqual({ data: { hello: 'hello' } });
    const health = await fetch(gw.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);

    proxy.release();
    for (const answer of await Promise.all(running)) {
      expect(answer.body).toEqual({ data: { note: null } });
    }
    // The slots are free; the refusal counted nowhere: 2 of the minute's 4 are used, 2 are left.
    for (let i = 0; i < 2; i++) {
      const again = await gw.query('{ hello }', {}, { 'x-api-key': first });
      expect(again.body).toEqual({ data: { hello: 'hello' } });
    }
    const spent = await gw.post(JSON.stringify({ query: '{ hello }' }), { 'x-api-key': first });
    expect(spent.status).toBe(429);
    expect(codeOf((await spent.json()) as never)).toBe('RATE_LIMITED');
  });
});
