import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../../../test/support/databases.js';
import { bootSubgraph, type BootedSubgraph } from '../../../test/support/subgraph.js';
import type { EntityManager } from '../../shared/database.js';
import { commerceSubgraph } from '../index.js';

/**
 * Lists ordered by id answer in code-point order, as on SQLite, whatever the PostgreSQL
 * database's collation. Songyang's enterprises hold `ent-331124-huang-jiefei` beside
 * `ent-331124001204`…: a database created with the server's locale (en_US.UTF-8 ignores `-`
 * when it sorts; the ICU locale `und-u-ka-shifted` stands in for it, as this machine has no
 * such libc locale) put Huang Jiefei's enterprise last instead of first.
 */
const REGION = '331124';
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Page {
  edges: { node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

async function enterprisePage(commerce: BootedSubgraph, first: number, after: string | null) {
  const res = await commerce.query<{ enterprises: Page }>(
    `query($first: Int, $after: String) { enterprises(regionCode: "${REGION}", first: $first,
      after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
    { first, after },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.enterprises;
}

/** The region's enterprise ids read from the table, in code-point order. */
async function storedIds(commerce: BootedSubgraph): Promise<string[]> {
  const knex = (commerce.started.orm.em as EntityManager).getKnex();
  const rows = (await knex('enterprise').select('id').where('county_code', REGION)) as {
    id: string;
  }[];
  return rows.map((r) => r.id).sort(byCodePoint);
}

function ordersById(label: string, icuLocale?: string) {
  describe(label, () => {
    let commerce: BootedSubgraph;
    beforeAll(async () => {
      commerce = await bootSubgraph(commerceSubgraph as never, { scopes: [REGION], icuLocale });
    });
    afterAll(() => commerce?.close());

    it('answers enterprises in code-point order of their ids, in one page or many', async () => {
      const expected = await storedIds(commerce);
      expect(expected).toContain('ent-331124-huang-jiefei');
      expect(expected.length).toBeGreaterThan(5);
      const whole = await enterprisePage(commerce, 100, null);
      expect(whole.edges.map((e) => e.node.id)).toEqual(expected);
      const paged: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: Page = await enterprisePage(commerce, 2, after);
        paged.push(...page.edges.map((e) => e.node.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(paged).toEqual(expected);
    });

    it.skipIf(ENGINE !== 'postgresql')('holds every text column in collation "C"', async () => {
      const knex = (commerce.started.orm.em as EntityManager).getKnex();
      const { rows } = await knex.raw(
        `select c.relname || '.' || a.attname as col from pg_attribute a
           join pg_class c on c.oid = a.attrelid
         where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r'
           and a.attnum > 0 and not a.attisdropped and a.attcollation <> 0
           and a.attcollation <> 'pg_catalog."C"'::regcollation
           and (a.attcollation <> 'pg_catalog."default"'::regcollation or not exists (
             select 1 from pg_database d where d.datname = current_database()
               and d.datcollate = 'C' and d.datlocprovider = 'c'))`,
      );
      expect(rows).toEqual([]);
    });
  });
}

ordersById(`on the ${ENGINE} database the suite runs on`);
if (ENGINE === 'postgresql') {
  ordersById('on a PostgreSQL database of a locale that ignores punctuation', 'und-u-ka-shifted');
}
