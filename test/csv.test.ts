import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRuralVillageName, parseCsvLine, readDivisions } from '../subgraphs/shared/divisions.js';
import { roomInMinute } from './support/clock.js';
import { bootStack, type Stack } from './support/stack.js';

// Songyang county (Lishui): a few hundred villages, so a download spans several pages.
let stack: Stack;
let base: string;

beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124'] });
  base = `http://127.0.0.1:${stack.gateway.port}`;
});
afterAll(() => stack?.close());

async function download(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { headers });
  return { res, text: await res.text() };
}

function records(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  return text.slice(0, -2).split('\r\n').map(parseCsvLine);
}

describe('CSV downloads through the gateway', () => {
  it('lists the registered operations with their parameters and columns', async () => {
    const { res, text } = await download('/csv');
    expect(res.status).toBe(200);
    const index = JSON.parse(text) as { operations: { name: string; parameters: unknown }[] };
    expect(index.operations.map((o) => o.name)).toEqual([
      'region-villages',
      'region-children',
      'provinces',
    ]);
    expect(index.operations[0].parameters).toEqual([
      { name: 'regionCode', type: 'ID!' },
      { name: 'kind', type: 'VillageKind' },
    ]);
  });

  it('gives every rural village of a county, all pages, one row each', async () => {
    const expected: string[] = [];
    for await (const v of readDivisions('villages')) {
      if (v.code.startsWith('331124') && isRuralVillageName(v.name)) expected.push(v.code);
    }
    expected.sort();
    expect(expected.length).toBeGreaterThan(100);
    const { res, text } = await download(
      '/csv/region-villages?regionCode=331124&kind=RURAL_VILLAGE',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="region-villages-331124-RURAL_VILLAGE.csv"',
    );
    const [header, ...rows] = records(text);
    expect(header).toEqual([
      'code',
      'name',
      'kind',
      'township.code',
      'township.name',
      'county.code',
      'county.name',
    ]);
    expect(rows.map((r) => r[0])).toEqual(expected);
    for (const r of rows) {
      expect(r[2]).toBe('RURAL_VILLAGE');
      expect(r[3]).toBe(r[0].slice(0, 9));
      expect(r.slice(5)).toEqual(['331124', '松阳县']);
    }
  });

  it('gives the townships of a county with their village counts', async () => {
    const streets: string[] = [];
    for await (const s of readDivisions('streets'))
      if (s.code.startsWith('331124')) streets.push(s.code);
    const { res, text } = await download('/csv/region-children.csv?code=331124');
    expect(res.status).toBe(200);
    const [header, ...rows] = records(text);
    expect(header).toEqual(['code', 'name', 'level', 'villageCount', 'ruralVillageCount']);
    expect(rows.map((r) => r[0])).toEqual(streets.sort());
    // The CSV holds what GraphQL answers, figure for figure.
    const gql = await stack.query<{ region: { children: Record<string, unknown>[] } }>(
      '{ region(code: "331124") { children { code name level villageCount ruralVillageCount } } }',
    );
    expect(rows).toEqual(
      gql.body.data!.region.children.map((c) => Object.values(c).map((v) => String(v))),
    );
  });

  it('writes a name’s control characters as U+FFFD, the rest of the file intact', async () => {
    type Node = { code: string; name: string; kind: string } & Record<
      string,
      { code: string; name: string }
    >;
    const gql = await stack.query<{ villages: { edges: { node: Node }[] } }>(
      `{ villages(filter: { regionCode: "331124001" }, first: 1) { edges { node {
        code name kind township { code name } county { code name } } } } }`,
    );
    const { code, name, kind, township, county } = gql.body.data!.villages.edges[0].node;
    // Stored as a name of the division data would be (PostgreSQL refuses NUL in text; the
    // format test covers it): BEL, ESC and SOH in the middle of the name.
    const knex = (stack.subgraphs.places.started.orm.em.fork() as EntityManager).getKnex();
    await knex('village')
      .where({ code })
      .update({ name: `${name}\u0007\u001b,\u0001` });
    try {
      const { res, text } = await download(`/csv/region-villages?regionCode=${township.code}`);
      expect(res.status).toBe(200);
      expect(text.split('\r\n').find((l) => l.startsWith(`${code},`))).toBe(
        [
          code,
          `"${name}\uFFFD\uFFFD,\uFFFD"`,
          kind,
          township.code,
          township.name,
          county.code,
          county.name,
        ].join(','),
      );
    } finally {
      await knex('village').where({ code }).update({ name });
    }
  });

  it('answers errors as JSON with the GraphQL path’s codes, never a partial CSV', async () => {
    const unknownOp = await download('/csv/nope');
    expect(unknownOp.res.status).toBe(404);
    expect(JSON.parse(unknownOp.text).errors[0].extensions).toEqual({ code: 'NOT_FOUND' });

    const missing = await download('/csv/region-villages');
    expect(missing.res.status).toBe(400);
    expect(JSON.parse(missing.text).errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'regionCode',
    });
    // Checked by GraphQL itself (variable coercion at the gateway).
    const badEnum = await download('/csv/region-villages?regionCode=331124&kind=CASTLE');
    expect(badEnum.res.status).toBe(400);
    expect(JSON.parse(badEnum.text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    // Checked by the places subgraph, reached through the gateway.
    const badCode = await download('/csv/region-children?code=abc');
    expect(badCode.res.status).toBe(400);
    expect(JSON.parse(badCode.text).errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'code',
    });
    const noRegion = await download('/csv/region-children?code=339999');
    expect(noRegion.res.status).toBe(404);
    expect(JSON.parse(noRegion.text).errors[0].extensions).toEqual({ code: 'NOT_FOUND' });
    // A list of an unknown region is not an empty file (it was 200, a header row alone).
    const noVillages = await download('/csv/region-villages?regionCode=3399');
    expect(noVillages.res.status).toBe(404);
    expect(JSON.parse(noVillages.text).errors[0].extensions).toEqual({ code: 'NOT_FOUND' });
  });

  it('refuses a download over CSV_MAX_ROWS on its first page, not after fetching them all', async () => {
    const auditPath = join(mkdtempSync(join(tmpdir(), 'rdsg-csv-rows-')), 'audit.log');
    const gw = await stack.extraGateway({ CSV_MAX_ROWS: '150', AUDIT_LOG_PATH: auditPath });
    try {
      const res = await fetch(`${new URL(gw.url).origin}/csv/region-villages?regionCode=331124`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: { message: string }[] }).errors[0].message).toMatch(
        /more than 150 rows/,
      );
      // Songyang's 214 villages are three pages of 100; one was asked for.
      const pages = readFileSync(auditPath, 'utf8')
        .trim()
        .split('\n')
        .filter((l) => JSON.parse(l).operationName === 'CsvRegionVillages');
      expect(pages).toHaveLength(1);
    } finally {
      await gw.close();
    }
  });

  it('keeps the caller’s request id', async () => {
    const { res } = await download('/csv/provinces', { 'x-request-id': 'csv-req-42' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('csv-req-42');
  });
});

/** A GET from a given local address (all of 127.0.0.0/8 is this machine). */
function getFrom(
  localAddress: string,
  url: string,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('CSV downloads charged to their caller', () => {
  it('counts and audits an anonymous download as its caller’s address, not the gateway’s', async () => {
    const auditPath = join(mkdtempSync(join(tmpdir(), 'rdsg-csv-audit-')), 'audit.log');
    const gw = await stack.extraGateway({
      ANONYMOUS_RATE_LIMIT_PER_MINUTE: '2',
      ANONYMOUS_DAILY_QUOTA: '0',
      AUDIT_LOG_PATH: auditPath,
    });
    try {
      const origin = new URL(gw.url).origin;
      // Three downloads must fall in one rate window.
      await roomInMinute(10_000);
      // The caller is 127.0.0.2; the gateway listens on (and used to call itself from) 127.0.0.1.
      for (let i = 0; i < 2; i++) {
        const ok = await getFrom('127.0.0.2', `${origin}/csv/provinces`);
        expect(ok.status).toBe(200);
        expect(ok.text.split('\r\n')[0]).toBe('code,name,villageCount,ruralVillageCount');
      }
      const third = await getFrom('127.0.0.2', `${origin}/csv/provinces`);
      expect(third.status).toBe(429);
      expect(third.headers['retry-after']).toMatch(/^\d+$/);
      expect(JSON.parse(third.text).errors[0].extensions.code).toBe('RATE_LIMITED');
      // Another caller's quota is its own.
      const other = await gw.query('{ provinces { code } }');
      expect(other.status).toBe(200);
      const lines = readFileSync(auditPath, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { caller: string; operationName?: string; status: number });
      const csv = lines.filter((l) => l.operationName === 'CsvProvinces');
      expect(csv.map((l) => [l.caller, l.status])).toEqual([
        ['anon:127.0.0.2', 200],
        ['anon:127.0.0.2', 200],
      ]);
      expect(lines.some((l) => l.caller === 'anon:127.0.0.2' && l.status === 429)).toBe(true);
      expect(lines.filter((l) => l.caller === 'anon:127.0.0.1')).toHaveLength(1);
    } finally {
      await gw.close();
    }
  });
});
