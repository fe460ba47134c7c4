import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exportAll,
  fetchesOnceStill,
  originOf,
  pagedVillages,
  parseLines,
  post,
  readThenCut,
  trustedDocumentsGateway,
  type Line,
} from './support/exports.js';
import { bootStack, type Stack } from './support/stack.js';

// Songyang county (Lishui): a few hundred village-level units, so an export spans several pages.
const REGION = '331124';
const PROFILE =
  '{ code name kind township { name } county { name } culture { auditorium { name services } } healthcare { clinic { name } } commerce { storeCount } }';

let stack: Stack;
let base: string;
const dir = mkdtempSync(join(tmpdir(), 'rdsg-exports-'));

beforeAll(async () => {
  stack = await bootStack({ scopes: [REGION] });
  base = `http://127.0.0.1:${stack.gateway.port}`;
});
afterAll(() => stack?.close());

/** The whole export of the region (set by the first test; later ones compare with it). */
let full: Line[];

describe('POST /exports/villages', () => {
  it('streams every village of the region once, as the paged API answers it, then a done line', async () => {
    const startedAt = performance.now();
    const { res, lines } = await exportAll(base, { selection: PROFILE, regionCode: REGION });
    const seconds = (performance.now() - startedAt) / 1000;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const last = lines.pop()!;
    full = lines;
    const paged = await pagedVillages(stack, REGION, PROFILE);
    expect(paged.totalCount).toBeGreaterThan(200);
    expect(last).toEqual({ done: true, count: paged.totalCount });
    expect(lines).toHaveLength(paged.totalCount);
    expect(lines.map((l) => l.data)).toEqual(paged.nodes);
    expect(lines.every((l) => l.errors === undefined && typeof l.cursor === 'string')).toBe(true);
    expect(lines.map((l) => l.code)).toEqual(paged.nodes.map((n) => n.code));
    // Some villages have figures from the other subgraphs (not only places' fields).
    expect(lines.some((l) => (l.data!.culture as { auditorium: unknown })?.auditorium)).toBe(true);
    process.stdout.write(
      `export of ${REGION}: ${lines.length} villages in ${seconds.toFixed(2)} s (${(lines.length / seconds).toFixed(0)} villages/s)\n`,
    );
  });

  it('resumes a download cut midway from its last cursor: every village exactly once', async () => {
    const first = await readThenCut(base, { selection: '{ code name }', regionCode: REGION }, 150);
    expect(first).toHaveLength(150);
    const rest = await exportAll(base, {
      selection: '{ code name }',
      regionCode: REGION,
      after: first.at(-1)!.cursor,
    });
    expect(rest.res.status).toBe(200);
    const done = rest.lines.pop()!;
    expect(done).toEqual({ done: true, count: full.length - 150 });
    const codes = [...first, ...rest.lines].map((l) => l.code);
    expect(codes).toEqual(full.map((l) => l.code));
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('compresses with gzip when the client accepts it', async () => {
    const { status, headers, body } = await new Promise<{
      status: number;
      headers: Record<string, unknown>;
      body: Buffer;
    }>((resolve, reject) => {
      const req = request(
        `${base}/exports/villages`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ selection: PROFILE, regionCode: REGION }));
    });
    expect(status).toBe(200);
    expect(headers['content-encoding']).toBe('gzip');
    const lines = parseLines(gunzipSync(body).toString('utf8'));
    expect(lines.pop()).toEqual({ done: true, count: full.length });
    expect(lines).toEqual(full);
    expect(body.length).toBeLessThan(JSON.stringify(full).length / 3);
  });

  it('exports exactly the villages of a list of codes, in code order', async () => {
    const pick = [full[200], full[3], full[57], full[3], full[120]].map((l) => l.code!);
    const { res, lines } = await exportAll(base, { selection: PROFILE, codes: pick });
    expect(res.status).toBe(200);
    expect(lines.pop()).toEqual({ done: true, count: 4 });
    const expected = [full[3], full[57], full[120], full[200]];
    expect(lines).toEqual(expected.map((l) => ({ cursor: l.code, code: l.code, data: l.data })));
    // Resumable too: after the second code, the last two.
    const rest = await exportAll(base, {
      selection: '{ code }',
      codes: pick,
      after: full[57].code,
    });
    expect(rest.lines.map((l) => l.code ?? l.done)).toEqual([full[120].code, full[200].code, true]);
    // Cut after the last line, before the done line (it was 400 GRAPHQL_PARSE_FAILED).
    const done = await exportAll(base, {
      selection: '{ code }',
      codes: pick,
      after: full[200].code,
    });
    expect([done.res.status, done.lines]).toEqual([200, [{ done: true, count: 0 }]]);
  });

  it('refuses a bad request before streaming, with a stable code', async () => {
    const cases: [unknown, number, string, string?][] = [
      [{ selection: 'query { code }', regionCode: REGION }, 400, 'EXPORT_SELECTION_INVALID'],
      [{ selection: '{ code', regionCode: REGION }, 400, 'EXPORT_SELECTION_INVALID'],
      [{ regionCode: REGION }, 400, 'EXPORT_SELECTION_INVALID'],
      [{ selection: '{ code nope }', regionCode: REGION }, 400, 'GRAPHQL_VALIDATION_FAILED'],
      [
        { selection: '{ provinces { code } }', regionCode: REGION },
        400,
        'GRAPHQL_VALIDATION_FAILED',
      ],
      [{ document: 'NoSuchDocument', regionCode: REGION }, 400, 'EXPORT_DOCUMENT_UNKNOWN'],
      [{ selection: '{ code }' }, 400, 'BAD_USER_INPUT', 'regionCode'],
      [{ selection: '{ code }', regionCode: 'abc' }, 400, 'BAD_USER_INPUT', 'regionCode'],
      [{ selection: '{ code }', codes: ['33112410'] }, 400, 'BAD_USER_INPUT', 'codes'],
      [
        { selection: '{ code }', codes: Array(1001).fill(full[0].code) },
        400,
        'BAD_USER_INPUT',
        'codes',
      ],
      [
        { selection: '{ code }', regionCode: REGION, after: 'not-a-cursor' },
        400,
        'BAD_USER_INPUT',
        'after',
      ],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await post(base, body);
      const answer = (await res.json()) as { errors: { extensions: Record<string, unknown> }[] };
      expect([JSON.stringify(body).slice(0, 60), res.status]).toEqual([
        JSON.stringify(body).slice(0, 60),
        status,
      ]);
      expect(answer.errors[0].extensions.code).toBe(code);
      if (field) expect(answer.errors[0].extensions.field).toBe(field);
    }
    const get = await fetch(`${base}/exports/villages`);
    expect(get.status).toBe(405);
  });
});

describe('exports charged and bounded per caller', () => {
  it('charges a unit a page: a terminal line when the quota runs out mid-stream, 429 at the start after', async () => {
    const gw = await stack.extraGateway({ ANONYMOUS_DAILY_QUOTA: '3', EXPORT_PAGE_SIZE: '50' });
    try {
      const { res, lines } = await exportAll(originOf(gw), {
        selection: '{ code }',
        regionCode: REGION,
      });
      expect(res.status).toBe(200);
      const last = lines.pop()!;
      expect(lines).toHaveLength(150);
      expect(last.error?.code).toBe('QUOTA_EXCEEDED');
      expect(last.error?.retryAfter).toBeGreaterThan(0);
      expect(last).toMatchObject({ cursor: lines[149].cursor, count: 150 });
      expect(lines.map((l) => l.code)).toEqual(full.slice(0, 150).map((l) => l.code));

      const again = await post(originOf(gw), { selection: '{ code }', regionCode: REGION });
      expect(again.status).toBe(429);
      expect(again.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(
        ((await again.json()) as { errors: { extensions: { code: string } }[] }).errors[0]
          .extensions.code,
      ).toBe('QUOTA_EXCEEDED');
    } finally {
      await gw.close();
    }
  });

  it('runs one export at a time per caller here, and stops its subgraph work when the client leaves', async () => {
    const gw = await stack.extraGateway({ EXPORT_PAGE_SIZE: '5', EXPORT_MAX_PER_CALLER: '1' });
    const origin = originOf(gw);
    try {
      const cut = new AbortController();
      const running = await post(
        origin,
        { selection: PROFILE, regionCode: REGION },
        {},
        cut.signal,
      );
      expect(running.status).toBe(200);
      const second = await post(origin, { selection: '{ code }', regionCode: REGION });
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBe('5');
      expect(
        ((await second.json()) as { errors: { extensions: { code: string } }[] }).errors[0]
          .extensions.code,
      ).toBe('EXPORT_CONCURRENCY_LIMITED');
      cut.abort();
      const afterCut = await fetchesOnceStill(origin);
      // Far fewer fetches than the whole export (80+ pages, several subgraphs each) would take.
      expect(afterCut).toBeLessThan(100);
      // The slot is free again.
      const next = await exportAll(origin, { selection: '{ code }', codes: [full[0].code] });
      expect(next.res.status).toBe(200);
    } finally {
      await gw.close();
    }
  });
});

describe('exports see what their caller may see', () => {
  it('nulls a field needing a scope the caller lacks, with FORBIDDEN at its path in the line', async () => {
    const supergraph = readFileSync('schema/supergraph.graphql', 'utf8').replace(
      'culture: VillageCulture @join__field(graph: CULTURE)',
      'culture: VillageCulture @join__field(graph: CULTURE) @requiresScopes(scopes: [["culture:private"]])',
    );
    const path = join(dir, 'supergraph.graphql');
    writeFileSync(path, supergraph);
    const gw = await stack.extraGateway({ SUPERGRAPH_PATH: path });
    try {
      const codes = [full[1].code!, full[2].code!];
      const { res, lines } = await exportAll(
        originOf(gw),
        { selection: '{ code name culture { auditorium { name } } }', codes },
        stack.steward, // an API key without that scope
      );
      expect(res.status).toBe(200);
      expect(lines.slice(0, 2)).toEqual(
        [full[1], full[2]].map((l) => ({
          cursor: l.code,
          code: l.code,
          data: { code: l.code, name: l.data!.name, culture: null },
          errors: [
            {
              message: '`Village.culture` needs the scope `culture:private`.',
              path: ['culture'],
              extensions: { code: 'FORBIDDEN' },
            },
          ],
        })),
      );
    } finally {
      await gw.close();
    }
  });

  it('runs a trusted document by name, also for a key restricted to trusted documents', async () => {
    const { gw, key } = await trustedDocumentsGateway(
      stack,
      'query VillageCard($code: ID!) { village(code: $code) { code name kind } }',
    );
    const partner = { 'x-api-key': key };
    try {
      const { res, lines } = await exportAll(
        originOf(gw),
        { document: 'VillageCard', regionCode: REGION },
        partner,
      );
      expect(res.status).toBe(200);
      expect(lines.pop()).toEqual({ done: true, count: full.length });
      expect(lines.map((l) => l.data)).toEqual(
        full.map((l) => ({ code: l.code, name: l.data!.name, kind: l.data!.kind })),
      );
      // A selection of its own is not a registered operation.
      const own = await post(originOf(gw), { selection: '{ code }', regionCode: REGION }, partner);
      expect(own.status).toBe(400);
      const answer = (await own.json()) as { errors: { extensions: { code: string } }[] };
      expect(answer.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    } finally {
      await gw.close();
    }
  });
});
