import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../gateway/auth/keys.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import {
  NOTES_SDL,
  startNotesSubgraph,
  writeSupergraph,
  type NotesSubgraph,
} from './support/notes-subgraph.js';

/**
 * What a partner's quota pays for: only requests the gateway admitted. A 429 the gateway answers
 * for its own load (BODIES_BUSY: other callers' bodies hold MAX_BODY_BYTES_IN_FLIGHT) is load
 * shedding, as CONCURRENCY_LIMITED: a partner retrying it as told must not lose its day's quota.
 * A batch larger than a whole window of the partner's quota is never admitted: it is refused as
 * too large, not with a Retry-After that would send it back for ever.
 */
const dir = mkdtempSync(join(tmpdir(), 'rdsg-quota-refusals-'));
const keysPath = join(dir, 'keys.json');
const store = new FileKeyStore(keysPath, 0);
let notes: NotesSubgraph;
let gw: TestGateway;
const sockets: Socket[] = [];

// Budget 400 000: a caller may hold 100 000 (MAX_BODY_BYTES), large bodies 300 000 in all.
const LARGE = 70_000; // above SMALL_BODY_BYTES: it may not use the small bodies' reserve
// A whole body of LARGE bytes: if it were read after all, it would be answered, not wait.
const large = `{"query":"{ hello }","pad":"${'x'.repeat(LARGE - 33)}"}`;

beforeAll(async () => {
  notes = await startNotesSubgraph();
  gw = await startGateway({
    SUPERGRAPH_PATH: writeSupergraph([{ name: 'notes', url: notes.url, sdl: NOTES_SDL }]),
    KEYS_PATH: keysPath,
    KEYS_RELOAD_MS: '0',
    MAX_BODY_BYTES: '100000',
    MAX_BODY_BYTES_IN_FLIGHT: '400000',
    MAX_BATCH_SIZE: '10',
  });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await gw?.close();
  await notes?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A POST announcing `length` bytes and sending `sent` of them; its status line once answered. */
function post(key: string, length: number, sent: string) {
  const socket = connect(gw.running.port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => {});
  let text = '';
  const answer = new Promise<string>((resolve) => {
    socket.on('data', (c) => (text += String(c)));
    socket.on('close', () => resolve(text));
  });
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Api-Key: ${key}\r\n` +
      `Content-Length: ${length}\r\nConnection: close\r\n\r\n${sent}`,
  );
  return { socket, answer };
}

describe('a partner refused for the bodies other callers hold', () => {
  it('keeps its daily quota: a BODIES_BUSY refusal counts nowhere', async () => {
    const create = (name: string, dailyQuota: number) =>
      store.create({ name, owner: name, scopes: [], rateLimitPerMinute: 1000, dailyQuota });
    const partner = (await create('partner', 3)).key;
    const probe = (await create('probe', 0)).key;
    // Three other callers stall large bodies: 300 000 bytes, all large bodies may hold.
    for (let i = 0; i < 3; i++) post((await create(`slow${i}`, 0)).key, 100_000, '{"query":"{');
    let busy = '';
    for (let i = 0; i < 100 && !busy.includes('BODIES_BUSY'); i++) {
      busy = await post(probe, large.length, large).answer;
    }
    expect(busy).toMatch(/^HTTP\/1\.1 429 /);

    // The partner's large write is refused three times, as many as its day's quota.
    for (let i = 0; i < 3; i++) {
      const answer = await post(partner, large.length, large).answer;
      expect(answer).toMatch(/^HTTP\/1\.1 429 /);
      expect(answer).toContain('"code":"BODIES_BUSY"');
    }
    for (const s of sockets) s.destroy();

    // Nothing of it was spent: its three requests of the day still run, the fourth is refused.
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await gw.query('{ hello }', undefined, { 'x-api-key': partner });
      codes.push(String(res.body.errors?.[0]?.extensions?.code ?? res.status));
    }
    expect(codes).toEqual(['200', '200', '200', 'QUOTA_EXCEEDED']);
  });
});

describe('a partner batching more operations than its rate limit allows in a minute', () => {
  it('is told the batch is too large (400), not to retry it, and keeps its units', async () => {
    const { key } = await store.create({
      name: 'batcher',
      owner: 'batcher',
      scopes: [],
      rateLimitPerMinute: 3,
      dailyQuota: 0,
    });
    const batch = (n: number) =>
      gw.post(JSON.stringify(Array.from({ length: n }, () => ({ query: '{ hello }' }))), {
        'x-api-key': key,
      });
    const four = await batch(4);
    const body = (await four.json()) as { errors: { extensions: { code: string } }[] };
    expect([four.status, four.headers.get('retry-after'), body.errors[0].extensions.code]).toEqual([
      400,
      null,
      'BATCH_TOO_LARGE',
    ]);
    // Nothing was counted: the minute's three units run a batch of three.
    const three = await batch(3);
    expect(three.status).toBe(200);
    expect(((await three.json()) as unknown[]).length).toBe(3);
  });
});
