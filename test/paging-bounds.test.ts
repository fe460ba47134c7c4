import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAll, originOf, parseLines, post } from './support/exports.js';
import { bootStack, type Stack } from './support/stack.js';

// Songyang county (Lishui): a few hundred village-level units.
const REGION = '331124';
const FIRST_CODE = '331124001001';
const PROFILE =
  '{ code name kind township { code name } county { code name } culture { auditorium { name services } } healthcare { clinic { name } } commerce { storeCount } }';

let stack: Stack;
let base: string;

beforeAll(async () => {
  stack = await bootStack({ scopes: [REGION] });
  base = `http://127.0.0.1:${stack.gateway.port}`;
});
afterAll(() => stack?.close());

const codeOf = async (res: Response) =>
  ((await res.json()) as { errors: { extensions: Record<string, unknown> }[] }).errors[0]
    .extensions;

/** Paged lists and exports at their edges: empty pages, cursors of other lists, slow readers. */
describe('a page of zero items', () => {
  it('says whether items follow (hasNextPage), as any page does', async () => {
    type Page = { totalCount: number; pageInfo: { hasNextPage: boolean }; edges: unknown[] };
    const page = '{ totalCount pageInfo { hasNextPage } edges { cursor } }';
    const res = await stack.query<Record<string, Page | { villages: Page }>>(`{
      villages(filter: { regionCode: "${REGION}" }, first: 0) ${page}
      region(code: "${REGION}") { villages(first: 0) ${page} }
      auditoriums(first: 0) ${page}
      digitalResources(first: 0) ${page}
    }`);
    expect(res.body.errors).toBeUndefined();
    const d = res.body.data!;
    const pages = [
      d.villages,
      (d.region as { villages: Page }).villages,
      d.auditoriums,
      d.digitalResources,
    ] as Page[];
    for (const p of pages) {
      expect(p.totalCount).toBeGreaterThan(0);
      expect(p).toMatchObject({ pageInfo: { hasNextPage: true }, edges: [] });
    }
  });
});

describe('a region code sent empty', () => {
  it('is refused, BAD_USER_INPUT naming the argument, by every list of every subgraph', async () => {
    // "" was read as "no filter" (villages, auditoriums): the whole dataset answered.
    const lists: Record<string, [string, string]> = {
      villages: [
        'villages(filter: { regionCode: "" }, first: 2) { totalCount }',
        'filter.regionCode',
      ],
      auditoriums: [
        'auditoriums(filter: { regionCode: "" }, first: 1) { totalCount }',
        'filter.regionCode',
      ],
      facilities: ['facilities(regionCode: "", first: 1) { edges { cursor } }', 'regionCode'],
      ecommerceParks: [
        'ecommerceParks(regionCode: "", first: 1) { edges { cursor } }',
        'regionCode',
      ],
      enterprises: ['enterprises(regionCode: "", first: 1) { edges { cursor } }', 'regionCode'],
      processingWorkshops: [
        'processingWorkshops(regionCode: "", first: 1) { edges { cursor } }',
        'regionCode',
      ],
      region: ['region(code: "") { code }', 'code'],
    };
    for (const [name, [list, field]] of Object.entries(lists)) {
      const res = await stack.query(`{ ${list} }`);
      expect(res.body.errors?.map((e) => [e.path?.[0], e.extensions])).toEqual([
        [name, { code: 'BAD_USER_INPUT', field }],
      ]);
    }
    // Left out or null, a filter still filters nothing.
    const all = await stack.query<{ villages: { totalCount: number } }>(
      '{ villages(filter: { regionCode: null }, first: 0) { totalCount } }',
    );
    expect(all.body.data?.villages.totalCount).toBeGreaterThan(0);
  });
});

describe('an export resumed with a cursor of another list', () => {
  it('is refused, 400 BAD_USER_INPUT at `after` (it answered nothing, or everything, silently)', async () => {
    const { lines } = await exportAll(base, { selection: '{ code }', regionCode: REGION });
    const last = lines.at(-2)!.cursor!; // the last village's cursor (the done line follows)
    const elsewhere = await post(base, { selection: '{ code }', regionCode: '3301', after: last });
    expect(elsewhere.status).toBe(400);
    expect(await codeOf(elsewhere)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    // A cursor made by hand before the region: it would list the whole region as if resumed.
    const before = Buffer.from('k:330100000000').toString('base64url');
    const early = await post(base, { selection: '{ code }', regionCode: REGION, after: before });
    expect(early.status).toBe(400);
    // The paged API refuses the same, on both of its village lists.
    const township = lines[0].code!.slice(0, 9);
    const other = lines.find((l) => l.code && !l.code.startsWith(township))!.cursor!;
    for (const list of [
      'villages(filter: { regionCode: $t }, first: 5, after: $after) { totalCount }',
      'region(code: $t) { villages(first: 5, after: $after) { totalCount } }',
    ]) {
      const paged = await stack.query(`query ($t: ID!, $after: String) { ${list} }`, {
        t: township,
        after: other,
      });
      expect(paged.body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    }
    // Its own cursors still page on.
    const own = await post(base, {
      selection: '{ code }',
      regionCode: REGION,
      after: lines[9].cursor,
    });
    expect(own.status).toBe(200);
    expect(parseLines(await own.text()).at(-1)).toEqual({ done: true, count: lines.length - 11 });
  });
});

describe('an export that cannot start because a subgraph is down', () => {
  it('answers 200 with its one last line, SUBGRAPH_UNAVAILABLE and count 0 (it was a 503)', async () => {
    const gw = await stack.extraGateway({}, { places: 'http://127.0.0.1:1/graphql' });
    try {
      const res = await post(originOf(gw), { selection: '{ code }', regionCode: REGION });
      expect(res.status).toBe(200);
      const lines = parseLines(await res.text());
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ error: { code: 'SUBGRAPH_UNAVAILABLE' }, count: 0 });
      expect(lines[0].done).toBeUndefined();
    } finally {
      await gw.close();
    }
  });
});

/** A client that sends an export request with a 4 KB receive buffer and then reads nothing. */
function stalledClient(port: number, body: string): ChildProcess {
  const script = `
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", ${port}))
body = sys.argv[1].encode()
s.sendall(b"POST /exports/villages HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: application/json\\r\\nContent-Length: " + str(len(body)).encode() + b"\\r\\n\\r\\n" + body)
print("sent", flush=True)
time.sleep(60)
`;
  return spawn('python3', ['-c', script, body], { stdio: ['ignore', 'pipe', 'inherit'] });
}

describe('a client that stops reading', () => {
  it('loses its export after EXPORT_SEND_TIMEOUT_MS, which frees its slot', async () => {
    // Limits raised for a selection of about 60 KB a village, 13 MB in all: more than the socket
    // buffers hold (on Linux a loopback send buffer grows to 4 MB), so the gateway's writes wait.
    const gw = await stack.extraGateway({
      EXPORT_MAX_PER_CALLER: '1',
      EXPORT_SEND_TIMEOUT_MS: '1000',
      EXPORT_PAGE_SIZE: '20',
      MAX_ALIASES: '1000',
      MAX_TOKENS: '50000',
      MAX_COST: '1000000',
      MAX_EXPANDED_SELECTIONS: '50000',
    });
    const origin = originOf(gw);
    const aliases = Array.from(
      { length: 900 },
      (_, i) => `a${i}: county { code name parent { name } }`,
    );
    const selection = `{ ${aliases.join(' ')} ${PROFILE.slice(1)}`;
    const client = stalledClient(
      Number(new URL(origin).port),
      JSON.stringify({ selection, regionCode: REGION }),
    );
    try {
      await new Promise((resolve) => client.stdout!.once('data', resolve));
      // While it holds the slot, the caller's next export is refused…
      await new Promise((r) => setTimeout(r, 300));
      const during = await post(origin, { selection: '{ code }', regionCode: REGION });
      expect(during.status).toBe(429);
      await during.text();
      // …and once a write has waited its second for the client, the response is cut and the
      // slot free (how soon depends on how fast the pages fill the buffers: polled). The old
      // code held it as long as the client kept the connection open.
      let status = 429;
      for (const deadline = Date.now() + 40_000; status === 429 && Date.now() < deadline;) {
        await new Promise((r) => setTimeout(r, 250));
        const next = await post(origin, { selection: '{ code }', codes: [FIRST_CODE] });
        status = next.status;
        await next.text();
      }
      expect(status).toBe(200);
    } finally {
      client.kill();
      await gw.close();
    }
  });
});
