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

type Execute = Parameters<typeof createVillageExports>[0]['execute'];

type Options = Parameters<typeof createVillageExports>[0];

function startExports(execute: Execute, more: Partial<Options> = {}) {
  const exports = createVillageExports({
    ...more,
    execute,
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
  const server = createServer((req, res) => void exports.handle(req, res, 'r1'));
  return { exports, server };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/exports/villages`;
}

/** A region page answer: the villages of `codes`, each its own cursor. */
const regionPage = (codes: string[], hasNextPage: boolean) => ({
  status: 200,
  headers: {},
  body: JSON.stringify({
    data: {
      villages: {
        edges: codes.map((code) => ({ cursor: code, exportKey: { code }, node: { code } })),
        pageInfo: { hasNextPage, endCursor: codes.at(-1) ?? null },
      },
    },
  }),
});

let server: Server;
let base: string;
beforeAll(async () => {
  server = startExports(async () => regionPage([], false)).server;
  base = await listen(server);
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

describe('an export that fails unexpectedly mid-stream', () => {
  it('ends with an INTERNAL_SERVER_ERROR line and its cursor, frees the slot, and resumes', async () => {
    // The second page meets an error no page anticipates (a bug's TypeError, say).
    let calls = 0;
    const { exports, server: failing } = startExports(async (_req, _id, body) => {
      calls += 1;
      const after = (body.variables as { after: string | null }).after;
      if (after === null) return regionPage(['331124100001', '331124100002'], true);
      if (calls === 2) throw new TypeError('rows is not iterable (at exports.ts:1)');
      return regionPage(['331124100003'], false);
    });
    const url = await listen(failing);
    const send = (after?: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ regionCode: '331124', selection: '{ code }', after }),
      });
    try {
      const res = await send();
      expect(res.status).toBe(200);
      const lines = (await res.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toEqual([
        { cursor: '331124100001', code: '331124100001', data: { code: '331124100001' } },
        { cursor: '331124100002', code: '331124100002', data: { code: '331124100002' } },
        {
          error: { code: 'INTERNAL_SERVER_ERROR', message: expect.any(String) },
          cursor: '331124100002',
          count: 2,
        },
      ]);
      expect(lines[2].error.message).not.toMatch(/iterable|rows|\.[jt]s|type ?error/i);
      expect(exports.running()).toBe(0);
      const rest = await send('331124100002');
      expect(await rest.text()).toBe(
        `${JSON.stringify({ cursor: '331124100003', code: '331124100003', data: { code: '331124100003' } })}\n` +
          '{"done":true,"count":1}\n',
      );
    } finally {
      failing.close();
    }
  });
});

describe('POST /exports/villages: a resumed export that stops before its first line', () => {
  it('gives back the cursor it was sent, a codes export too', async () => {
    // Places cannot be asked for the feed's end: the export stops instead of its done line.
    const { server: own } = startExports(
      async () => ({ status: 200, headers: {}, body: JSON.stringify({ data: {} }) }),
      { markFeedEnd: async () => false },
    );
    const url = await listen(own);
    try {
      const after = '331124001002';
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ codes: ['331124001001', after], after, selection: '{ code }' }),
      });
      expect(res.status).toBe(200);
      expect(JSON.parse(await res.text())).toMatchObject({
        error: { code: 'SUBGRAPH_UNAVAILABLE' },
        cursor: after,
        count: 0,
      });
    } finally {
      await new Promise<void>((resolve) => own.close(() => resolve()));
    }
  });
});
