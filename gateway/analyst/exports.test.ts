import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../context.js';
import { partner } from '../pipeline/fixtures.js';
import { createVillageExports } from './exports.js';

// The route's HTTP checks on a real listener, before any page: the pipeline is a stand-in that
// answers one empty region page (the real path: test/exports.test.ts).
const caller: Identity = partner;

let server: Server;
let base: string;
beforeAll(async () => {
  const exports = createVillageExports({
    execute: async () => ({
      status: 200,
      headers: {},
      body: JSON.stringify({
        data: { villages: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } },
      }),
    }),
    authenticate: async () => caller,
    trusted: [],
    settings: {
      pageSize: 10,
      maxCodes: 10,
      maxPerCaller: 2,
      maxTotal: 4,
      maxAliases: 30,
      maxBodyBytes: 10_000,
      sendTimeoutMs: 1_000,
    },
    logger: pino({ level: 'silent' }),
  });
  server = createServer((req, res) => void exports.handle(req, res, 'r1'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/exports/villages`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('POST /exports/villages: the HTTP request', () => {
  it.each(['GET', 'PUT', 'DELETE'])(
    'answers %s with 405 BAD_REQUEST and Allow: POST',
    async (m) => {
      const res = await fetch(base, { method: m });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect((await res.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
    },
  );

  it.each<Record<string, string>>([
    { 'content-encoding': 'gzip' },
    { 'content-encoding': 'x-unknown' },
    { 'content-type': 'application/json; charset=latin1' },
  ])('answers a body sent with %j with 415 BAD_REQUEST', async (headers) => {
    const res = await fetch(base, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ regionCode: '331124', selection: '{ code }' }),
    });
    expect(res.status).toBe(415);
    expect((await res.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('reads a body after a UTF-8 byte order mark', async () => {
    const res = await fetch(base, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: `\uFEFF${JSON.stringify({ regionCode: '331124', selection: '{ code }' })}`,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"done":true,"count":0}\n');
  });

  it('answers a body that is not UTF-8 with 400 BAD_REQUEST', async () => {
    const res = await fetch(base, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"regionCode": "331124", "selection": "{ code \xff }"}', 'latin1'),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      errors: [{ message: 'The body is not valid UTF-8.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });
});
