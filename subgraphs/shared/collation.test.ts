import { Migration } from '@mikro-orm/migrations';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINE, type TestDatabase } from '../../test/support/databases.js';
import { collateTextByCodePoint } from './collation.js';
import { openDatabase, type EntityManager, type Orm } from './database.js';

class ProbeTable extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "collation_probe" ("id" varchar(40) primary key, "note" text null, ` +
        `"kept" varchar(10) collate "C" null, "n" int null)`,
    );
    this.addSql(`create index "collation_probe_note_index" on "collation_probe" ("note")`);
  }
}

const migrations = { sqlite: [], postgresql: [{ name: 'probe', class: ProbeTable }] };
const IDS = ['a0', 'a-b', 'ab', 'A', 'a b', 'é', 'ä'];
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The text columns of the probe table with their collation ("default" or a name). */
async function collations(knex: ReturnType<EntityManager['getKnex']>) {
  const { rows } = await knex.raw(
    `select a.attname as "column", l.collname as "collation" from pg_attribute a
       join pg_collation l on l.oid = a.attcollation
     where a.attrelid = 'collation_probe'::regclass and a.attnum > 0 order by a.attnum`,
  );
  return rows as { column: string; collation: string }[];
}

describe.skipIf(ENGINE !== 'postgresql')('text columns on PostgreSQL', () => {
  let db: TestDatabase | undefined;
  let orm: Orm | undefined;
  afterEach(async () => {
    await orm?.close(true);
    await db?.drop();
    orm = db = undefined;
  });

  it('sort by code point once migrated, on a database of a locale that ignores punctuation', async () => {
    db = await createTestDatabase('collation', { icuLocale: 'und-u-ka-shifted' });
    orm = await openDatabase({ url: db.url, entities: [], migrations });
    const knex = (orm.em as EntityManager).getKnex();
    expect(await collations(knex)).toEqual([
      { column: 'id', collation: 'C' },
      { column: 'note', collation: 'C' },
      { column: 'kept', collation: 'C' },
    ]);
    await knex('collation_probe').insert(IDS.map((id) => ({ id, note: id })));
    const ordered = async (column: string) =>
      (
        (await knex('collation_probe').select(column).orderBy(column)) as Record<string, string>[]
      ).map((r) => r[column]);
    expect(await ordered('id')).toEqual([...IDS].sort(byCodePoint));
    expect(await ordered('note')).toEqual([...IDS].sort(byCodePoint));
    // The index follows the column: a range read by it cuts where code points do.
    const after = (await knex('collation_probe').select('id').where('id', '>', 'a-b')) as {
      id: string;
    }[];
    expect(after.map((r) => r.id).sort(byCodePoint)).toEqual(['a0', 'ab', 'ä', 'é']);
    expect(await collateTextByCodePoint(knex)).toBe(0); // nothing left to do
  });

  it('leave a "C" database as it is', async () => {
    db = await createTestDatabase('collation');
    orm = await openDatabase({ url: db.url, entities: [], migrations });
    const knex = (orm.em as EntityManager).getKnex();
    expect(await collations(knex)).toEqual([
      { column: 'id', collation: 'default' },
      { column: 'note', collation: 'default' },
      { column: 'kept', collation: 'C' },
    ]);
  });
});
