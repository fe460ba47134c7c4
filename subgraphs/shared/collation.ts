import type { Knex } from '@mikro-orm/knex';

/**
 * The text columns of the current schema that do not compare by code point: those of another
 * collation than "C", and those of the database's default when that is not "C" (a database
 * created with the server's locale, e.g. en_US.UTF-8, which ignores `-` when it sorts).
 */
const OTHER_COLLATION = `
  select c.relname as "table", a.attname as "column",
         format_type(a.atttypid, a.atttypmod) as "type"
  from pg_attribute a
  join pg_class c on c.oid = a.attrelid
  where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
    and a.attnum > 0 and not a.attisdropped and a.attcollation <> 0
    and a.attcollation <> 'pg_catalog."C"'::regcollation
    and not (a.attcollation = 'pg_catalog."default"'::regcollation and exists (
      select 1 from pg_database d where d.datname = current_database()
        and d.datcollate in ('C', 'POSIX')
        and coalesce(to_jsonb(d) ->> 'datlocprovider', 'c') = 'c'))
  order by 1, 2`;

/**
 * Makes every text column of a PostgreSQL schema sort and compare by code point (collation
 * "C"), as SQLite does: lists are ordered by text keys (`ent-331124-huang-jiefei` before
 * `ent-331124001204`), and pages are cut where the key passes the cursor's. The databases the
 * project creates are "C" (deploy/postgres/init.sql, pg-admin.ts); one created otherwise, or
 * before, sorted its lists in another order than SQLite. Runs after the migrations, so tables
 * they add later are covered too; a schema already "C" costs one catalog query. Returns how
 * many columns it changed.
 */
export async function collateTextByCodePoint(knex: Knex): Promise<number> {
  const rows = (await knex.raw(OTHER_COLLATION)).rows as {
    table: string;
    column: string;
    type: string;
  }[];
  if (rows.length === 0) return 0;
  const byTable = new Map<string, string[]>();
  const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
  for (const r of rows) {
    const alter = `alter column ${q(r.column)} type ${r.type} collate "C"`;
    byTable.set(r.table, [...(byTable.get(r.table) ?? []), alter]);
  }
  // One statement a table (its indexes are rebuilt once), all in one transaction.
  await knex.transaction(async (trx) => {
    for (const [table, alters] of byTable) {
      await trx.raw(`alter table ${q(table)} ${alters.join(', ')}`);
    }
  });
  return rows.length;
}

/**
 * Orders text as the databases do (SQLite's BINARY, PostgreSQL's "C"): by code point, which is
 * UTF-8 byte order. JavaScript's `<` compares UTF-16 code units and puts U+10000 and above (CJK
 * extension B, 𠀀) before U+E000–U+FFFF (full-width Ａ): rows re-sorted with it and paged with
 * the database's `>` skipped or repeated rows.
 */
export function compareByCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
