import { connect, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisKeyStore } from '../gateway/auth/redis-keys.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import {
  NOTES_SDL,
  startNotesSubgraph,
  writeSupergraph,
  type NotesSubgraph,
} from './support/notes-subgraph.js';
import { ownRedis, type OwnRedis } from './support/redis-server.js';

/**
 * A daily quota of N admits N operations, batched or not, whatever runs at the same time, with
 * keys and counts in Redis (KEY_STORE=redis). A unit was counted for each request before its
 * body was read and given back when its batch did not fit: while a request's body was still on
 * its way, its unit refused other batches that fitted (QUOTA_EXCEEDED with units left).
 */
let redis: OwnRedis;
let client: Redis;
let notes: NotesSubgraph;
let gw: TestGateway;
let keys: RedisKeyStore;
const sockets: Socket[] = [];

beforeAll(async () => {
  redis = await ownRedis();
  await redis.start();
  client = new Redis(redis.url);
  keys = new RedisKeyStore(client, undefined, 0);
  notes = await startNotesSubgraph();
  gw = await startGateway({
    SUPERGRAPH_PATH: writeSupergraph([{ name: 'notes', url: notes.url, sdl: NOTES_SDL }]),
    REDIS_URL: redis.url,
    KEY_STORE: 'redis',
    KEYS_RELOAD_MS: '0',
    MAX_BATCH_SIZE: '10',
  });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await gw?.close();
  await notes?.close();
  client?.disconnect();
  await redis?.kill();
});

const batchBody = (n: number) =>
  JSON.stringify(Array.from({ length: n }, () => ({ query: '{ hello }' })));

/** A key of `dailyQuota` (and a rate limit out of the way). */
const keyOf = async (dailyQuota: number) =>
  (await keys.create({ name: 'b', owner: 'b', scopes: [], rateLimitPerMinute: 1000, dailyQuota }))
    .key;

/** A POST of `body` whose last byte is held back until `finish()`; its status once answered. */
function held(key: string, body: string) {
  const socket = connect(gw.running.port, '127.0.0.1');
  sockets.push(socket);
  let text = '';
  const status = new Promise<number>((resolve) => {
    socket.on('data', (c) => (text += String(c)));
    socket.on('close', () => resolve(Number(text.split(' ')[1])));
  });
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Api-Key: ${key}\r\n` +
      `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, -1)}`,
  );
  return { finish: () => (socket.write(body.slice(-1)), status) };
}

/** What a single request of `key` answers now: its status and error code, if any. */
async function probe(key: string) {
  const res = await gw.query('{ hello }', undefined, { 'x-api-key': key });
  return [res.status, res.body.errors?.[0].extensions?.code ?? 'ok'];
}

describe('batches of one key, with Redis keeping keys and counts', () => {
  it('admits a batch that fits while another batch is still being sent', async () => {
    const key = await keyOf(12);
    const [a, b, c, d] = [4, 4, 4, 4].map((n) => held(key, batchBody(n)));
    // Every request is past the quota check, its body still on its way.
    await new Promise((r) => setTimeout(r, 300));
    // 4 + 4 + 4 fit the 12: d's unit, counted before its body came, refused c.
    expect([await a.finish(), await b.finish(), await c.finish()]).toEqual([200, 200, 200]);
    expect(await d.finish()).toBe(429);
    expect(await probe(key)).toEqual([429, 'QUOTA_EXCEEDED']);
  });

  it('admits exactly the quota of concurrent batches, never more, never fewer', async () => {
    for (const [quota, size, sent] of [
      [12, 3, 8],
      [20, 2, 16],
      [9, 1, 30],
    ]) {
      const key = await keyOf(quota);
      const answers = await Promise.all(
        Array.from({ length: sent }, () => gw.post(batchBody(size), { 'x-api-key': key })),
      );
      const statuses = answers.map((a) => a.status);
      const admitted = statuses.filter((s) => s === 200).length;
      expect({ quota, size, admitted }).toEqual({ quota, size, admitted: quota / size });
      expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
      expect(await probe(key)).toEqual([429, 'QUOTA_EXCEEDED']);
    }
  });
});
