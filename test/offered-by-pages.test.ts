import Database from 'better-sqlite3';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { compareByCodePoint } from '../subgraphs/shared/collation.js';
import { ENGINE } from './support/databases.js';
import { bootStack, type Stack } from './support/stack.js';
import type { GraphQLResponse } from './support/subgraph.js';

// A page of the auditoriums offering a resource (`DigitalResource.offeredBy`) must read that
// page's rows, not every auditorium offering the resource: a window function numbering every
// link read about 35,000 rows a resource in the national data, so one page of each of the 64
// resources kept culture busy 0.8 s for a cost of about 450. The rows each statement the culture
// subgraph ran actually read are counted by the database (SQLite: the statement replayed over a
// view that counts the rows it is asked for; PostgreSQL: EXPLAIN ANALYZE).

const COUNTY = '331124';

let stack: Stack;

beforeAll(async () => {
  stack = await bootStack({ scopes: [COUNTY] });
});
afterAll(() => stack?.close());

interface Statement {
  sql: string;
  bindings: readonly unknown[];
}

const culture = () => stack.subgraphs.culture;
const knex = () => (culture().started.orm.em as EntityManager).getKnex() as Knex;

/** Rows of auditorium_resource a statement reads when run again on culture's database. */
async function linksRead(st: Statement): Promise<number> {
  if (ENGINE === 'sqlite') {
    const file = culture().started.orm.config.get('dbName') as string;
    const db = new Database(file, { fileMustExist: true });
    try {
      let rows = 0;
      db.function('counted', { deterministic: false }, () => {
        rows += 1;
        return 1;
      });
      // A temporary view shadows the table of the same name in the statement replayed.
      db.exec(
        'create temp view auditorium_resource as select * from main.auditorium_resource where counted()',
      );
      db.prepare(st.sql).all(...(st.bindings as unknown[]));
      return rows;
    } finally {
      db.close();
    }
  }
  const sql = st.sql.replace(/\$\d+/g, '?');
  const res = (await knex().raw(`explain (analyze, format json) ${sql}`, st.bindings as never)) as {
    rows: { 'QUERY PLAN': { Plan: PlanNode }[] }[];
  };
  const walk = (n: PlanNode): number =>
    (n['Relation Name'] === 'auditorium_resource' ? n['Actual Rows'] * n['Actual Loops'] : 0) +
    (n.Plans ?? []).reduce((sum, p) => sum + walk(p), 0);
  return walk(res.rows[0]['QUERY PLAN'][0].Plan);
}

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

type Answer = {
  digitalResources: {
    edges: { node: { id: string; offeredBy: { edges: { node: { id: string } }[] } } }[];
  };
};

describe(`pages of the auditoriums offering a resource on ${ENGINE}`, () => {
  it.each([1, 3])('first: %i reads the pages, the same auditoriums as the table', async (first) => {
    const seen: Statement[] = [];
    const listener = (q: { sql: string; bindings?: readonly unknown[] }) =>
      seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
    knex().on('query', listener);
    let answer: Answer;
    try {
      const res = await stack.query<Answer>(
        `{ digitalResources(first: 100) { edges { node { id offeredBy(first: ${first}) { edges { node { id } } } } } } }`,
      );
      expect(res.body.errors).toBeUndefined();
      answer = res.body.data!;
    } finally {
      knex().removeListener('query', listener);
    }

    // The answer: each resource's first auditorium ids in code-point order, from the table.
    const links = (await knex()('auditorium_resource').select('resource_id', 'auditorium_id')) as {
      resource_id: string;
      auditorium_id: string;
    }[];
    const resources = answer.digitalResources.edges.map((e) => e.node);
    let offered = 0;
    for (const r of resources) {
      const ids = links
        .filter((l) => l.resource_id === r.id)
        .map((l) => l.auditorium_id)
        .sort(compareByCodePoint);
      if (ids.length > first) offered += 1;
      expect(r.offeredBy.edges.map((e) => e.node.id)).toEqual(ids.slice(0, first));
    }
    // Resources offered by more auditoriums than a page, or the bound below proves nothing.
    expect(offered).toBeGreaterThan(10);

    const pages = seen.filter((st) => /auditorium_resource/.test(st.sql));
    expect(pages.length).toBeGreaterThan(0);
    let read = 0;
    for (const st of pages) read += await linksRead(st);
    // limit + 1 rows a resource (the extra one tells hasNextPage).
    expect(read).toBeLessThanOrEqual(resources.length * (first + 1));
  });
});

type OfferedPage = {
  digitalResource: {
    offeredBy: {
      edges: { node: { id: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
};

describe(`pages of offeredBy across ids that code points and UTF-16 order differently, on ${ENGINE}`, () => {
  it('hand on each auditorium once, in the database order, with first: 1', async () => {
    // U+FF21 sorts before U+20000 by code point (SQLite, PostgreSQL "C") but after it by UTF-16
    // code unit (JavaScript's <): sorted in JS, page 1 ended at 𠀀 and `> 𠀀` skipped Ａ.
    const tag = `${Date.now().toString(36)}`;
    const ids = ['Ａ', '𠀀', '𠀁', 'b', 'Ｂ'].map((c) => `aud-${tag}-${c}`);
    const resource = `res-${tag}`;
    const k = knex();
    // A row copied as read: PostgreSQL hands json columns back parsed, to be written as text.
    const copy = async (table: string) =>
      Object.fromEntries(
        Object.entries((await k(table).first()) as Record<string, unknown>).map(([c, v]) => [
          c,
          v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v,
        ]),
      );
    const sample = await copy('auditorium');
    await k('auditorium').insert(ids.map((id) => ({ ...sample, id })));
    const sampleResource = await copy('digital_resource');
    await k('digital_resource').insert({ ...sampleResource, id: resource });
    const link = await copy('auditorium_resource');
    await k('auditorium_resource').insert(
      ids.map((id) => ({ ...link, resource_id: resource, auditorium_id: id })),
    );
    const inDatabase = (
      (await k('auditorium_resource')
        .select('auditorium_id')
        .where('resource_id', resource)
        .orderBy('auditorium_id')) as { auditorium_id: string }[]
    ).map((r) => r.auditorium_id);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < ids.length + 2; page++) {
      const res: GraphQLResponse<OfferedPage> = await stack.query<OfferedPage>(
        `query($id: ID!, $after: String) { digitalResource(id: $id) {
          offeredBy(first: 1, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`,
        { id: resource, after },
      );
      expect(res.body.errors).toBeUndefined();
      const { edges, pageInfo } = res.body.data!.digitalResource.offeredBy;
      seen.push(...edges.map((e) => e.node.id));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(inDatabase);
    expect([...seen].sort()).toEqual([...ids].sort());
  });
});
