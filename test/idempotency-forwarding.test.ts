import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootStack, type Stack } from './support/stack.js';

/**
 * The gateway's half of exactly-once writes (issue 15): a mutation's `Idempotency-Key` header is
 * validated and passed on (as itself, or quoted where only the quoted form spells it) on the
 * subgraph fetches that are mutations — not on the entity reads that follow them — and the
 * gateway neither retries nor shares a mutation fetch.
 * Each subgraph is reached through a real HTTP hop that records what arrives.
 */
interface Seen {
  mutation: boolean;
  headers: IncomingHttpHeaders;
}

interface Hop {
  url: string;
  seen: Seen[];
  /** Answer 500 instead of passing requests on. */
  fail: boolean;
  close: () => Promise<void>;
}

async function recordingHop(target: string): Promise<Hop> {
  const t = new URL(target);
  const hop: Hop = { url: '', seen: [], fail: false, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const query = (JSON.parse(body.toString('utf8')) as { query: string }).query;
      hop.seen.push({ mutation: /^\s*mutation\b/.test(query), headers: req.headers });
      if (hop.fail) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('failed');
        return;
      }
      const up = httpRequest(
        {
          host: t.hostname,
          port: t.port,
          path: t.pathname,
          method: 'POST',
          headers: { ...req.headers, host: t.host },
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => req.socket.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hop.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  hop.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return hop;
}

const REGISTER = `mutation Register($i: RegisterOnlineStoreInput!) {
  registerOnlineStore(input: $i) { name village { name } }
}`;
const EVENT = `mutation Event($i: RecordAuditoriumEventInput!) {
  recordAuditoriumEvent(input: $i) { id } }`;
const event = (title: string) => ({
  i: {
    auditoriumId: 'aud-330203009205',
    date: '2021-03-08',
    title,
    type: 'LECTURE',
    attendance: 5,
  },
});
const store = (name: string) => ({
  i: {
    name,
    villageCode: '330203009205',
    platform: 'DOUYIN',
    category: 'TEA',
    openedOn: '2024-05-01',
    jobs: 3,
  },
});

let stack: Stack;
const hops: Record<string, Hop> = {};
beforeAll(async () => {
  stack = await bootStack({
    scopes: ['330203'],
    env: { SUBGRAPH_RETRIES: '2', SUBGRAPH_RETRY_BACKOFF_MS: '5' },
    subgraphUrl: async (name, url) => {
      if (name !== 'places' && name !== 'commerce') return url;
      hops[name] = await recordingHop(url);
      return hops[name].url;
    },
  });
});
afterAll(async () => {
  await stack?.close();
  for (const hop of Object.values(hops)) await hop.close();
});

const reset = () => {
  for (const hop of Object.values(hops)) {
    hop.seen = [];
    hop.fail = false;
  }
};
const codeOf = (body: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  body.errors?.[0]?.extensions?.code;

describe('Idempotency-Key forwarding', () => {
  it('passes the key unchanged on the mutation fetch only, not on the entity read after it', async () => {
    reset();
    const key = 'order-2024-05-01/1 ~ printable ASCII';
    const res = await stack.query(REGISTER, store('幂等网店'), {
      ...stack.steward,
      'Idempotency-Key': key,
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      registerOnlineStore: { name: '幂等网店', village: { name: expect.any(String) } },
    });
    const writes = hops.commerce.seen.filter((s) => s.mutation);
    expect(writes).toHaveLength(1);
    expect(writes[0].headers['idempotency-key']).toBe(key);
    // The village name came from places, in a read that carries no key.
    expect(hops.places.seen.length).toBeGreaterThan(0);
    for (const s of hops.places.seen) expect(s.headers['idempotency-key']).toBeUndefined();
  });

  it('sends no key when the client sends none, and none on queries', async () => {
    reset();
    await stack.query(REGISTER, store('无键网店'), stack.steward);
    const q = await stack.query(
      '{ village(code: "330203009205") { name commerce { storeCount } } }',
      undefined,
      {
        'Idempotency-Key': 'read-key',
      },
    );
    expect(q.body.errors).toBeUndefined();
    const all = [...hops.commerce.seen, ...hops.places.seen];
    expect(all.length).toBeGreaterThan(2);
    for (const s of all) expect(s.headers['idempotency-key']).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['not ASCII', 'cl\u00e9'],
    ['a control character', 'a\tb'],
    // What the gateway reads of a header sent twice: HTTP joins repeated fields with ", ".
    ['a header sent twice', 'retry-7, retry-7'],
    // The draft's Structured Field string, unterminated or with text after it.
    ['an unterminated sf-string', '"abc'],
    ['an sf-string with text after it', '"a"b"'],
  ])('refuses a mutation whose key is %s with 400 BAD_REQUEST, sending nothing', async (_, key) => {
    reset();
    const res = await stack.query(REGISTER, store('坏键网店'), {
      ...stack.steward,
      'Idempotency-Key': key,
    });
    expect(res.status).toBe(400);
    expect(codeOf(res.body)).toBe('BAD_REQUEST');
    expect(res.body.errors?.[0].message).toMatch(/Idempotency-Key/);
    expect(hops.commerce.seen).toHaveLength(0);
  });

  it('accepts a key of exactly 255 printable characters', async () => {
    reset();
    const key = `${' !~'.repeat(84)}abc`;
    expect(key).toHaveLength(255);
    const res = await stack.query(REGISTER, store('长键网店'), {
      ...stack.steward,
      'Idempotency-Key': key,
    });
    expect(res.body.errors).toBeUndefined();
    // HTTP trims a header value's outer spaces: the subgraph gets what the gateway got.
    expect(hops.commerce.seen.find((s) => s.mutation)?.headers['idempotency-key']).toBe(key.trim());
  });

  it('never retries a failed mutation (queries are retried)', async () => {
    reset();
    hops.commerce.fail = true;
    const write = await stack.query(REGISTER, store('失败网店'), {
      ...stack.steward,
      'Idempotency-Key': 'retry-check',
    });
    expect(codeOf(write.body)).toBe('SUBGRAPH_UNAVAILABLE');
    expect(hops.commerce.seen.filter((s) => s.mutation)).toHaveLength(1);
    // A query to the same failing subgraph is tried 1 + SUBGRAPH_RETRIES times.
    hops.commerce.seen = [];
    await stack.query('{ village(code: "330203009205") { commerce { storeCount } } }');
    expect(hops.commerce.seen.filter((s) => !s.mutation)).toHaveLength(3);
  });

  it('never shares a mutation fetch between identical concurrent requests', async () => {
    reset();
    const headers = { ...stack.steward, 'Idempotency-Key': 'concurrent' };
    await Promise.all([1, 2, 3].map(() => stack.query(REGISTER, store('并发网店'), headers)));
    const writes = hops.commerce.seen.filter((s) => s.mutation);
    expect(writes).toHaveLength(3);
    for (const w of writes) expect(w.headers['idempotency-key']).toBe('concurrent');
  });

  // The draft's quoted form and the bare token are one key to the subgraphs, so to the claims too.
  it.each([
    ['the same spelling', (k: string) => k],
    ['its quoted spelling', (k: string) => `"${k}"`],
  ])(
    'refuses a key used before for a write in another subgraph (%s), sending nothing',
    async (_, spell) => {
      reset();
      const once = event('跨子图的键');
      const key = `cross-${Date.now()}`;
      const headers = { ...stack.steward, 'Idempotency-Key': key };
      const first = await stack.query<{ recordAuditoriumEvent: { id: string } }>(
        EVENT,
        once,
        headers,
      );
      expect(first.body.errors).toBeUndefined();
      // The same key for a store (commerce): it was written as well, under the one key.
      const other = await stack.query(REGISTER, store('同键网店'), {
        ...stack.steward,
        'Idempotency-Key': spell(key),
      });
      expect(other.status).toBe(422);
      expect(other.body.errors?.[0].extensions).toEqual({
        code: 'IDEMPOTENCY_KEY_REUSED',
        field: 'Idempotency-Key',
      });
      expect(hops.commerce.seen.filter((s) => s.mutation)).toHaveLength(0);
      // A retry of the first write still answers its result.
      const retry = await stack.query<{ recordAuditoriumEvent: { id: string } }>(
        EVENT,
        once,
        headers,
      );
      expect(retry.body.data).toEqual(first.body.data);
    },
  );

  it('frees a key whose first request wrote nothing (refused input) for another write', async () => {
    reset();
    const headers = { ...stack.steward, 'Idempotency-Key': `freed-${Date.now()}` };
    const bad = { i: { ...store('x').i, villageCode: '339999999999' } };
    expect(codeOf((await stack.query(REGISTER, bad, headers)).body)).toBe('BAD_USER_INPUT');
    // Another mutation field under the key the refused request held: it is free again.
    const written = await stack.query(EVENT, event('改正后的写入'), headers);
    expect(written.body.errors).toBeUndefined();
  });
});

describe('an operation of several mutation fields', () => {
  // Each field is its own write: one refused is null with its error, and the fields written
  // before it keep their answers. With non-null mutation fields the refusal nulled all of
  // `data`, so a client read "nothing written" where the first write had been applied.
  it.each([
    [
      'in one subgraph',
      `m2: recordAuditoriumEvent(input: $bad) { id }`,
      'RecordAuditoriumEventInput',
    ],
    [
      'in another subgraph',
      `m2: registerOnlineStore(input: $bad) { name }`,
      'RegisterOnlineStoreInput',
    ],
  ])('answers the written field beside the refused one (%s)', async (_, second, type) => {
    reset();
    const bad = second.includes('Store')
      ? { ...store('坏网店').i, villageCode: '339999999999' }
      : { ...event('坏活动').i, attendance: -5 };
    const res = await stack.query<{ m1: { id: string } | null; m2: unknown }>(
      `mutation ($ok: RecordAuditoriumEventInput!, $bad: ${type}!) {
        m1: recordAuditoriumEvent(input: $ok) { id } ${second} }`,
      { ok: event(`两个字段-${Date.now()}`).i, bad },
      stack.steward,
    );
    expect(res.body.data?.m1?.id).toMatch(/^evt-/);
    expect(res.body.data?.m2).toBeNull();
    expect(res.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['m2'], 'BAD_USER_INPUT'],
    ]);
  });
});
