import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { BatchWriter, bulkUpsert, isSqlite, withDeferredIndexes } from './bulk.js';
import { openDatabase, type EntityManager, type Orm } from './database.js';
import { SeedWriters } from './seed-load.js';

@Entity({ tableName: 'bulk_probe' })
class BulkProbe {
  @PrimaryKey({ type: 'string', length: 20 })
  code!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  label!: string | null;

  @Property({ type: 'boolean' })
  flag!: boolean;
}

@Entity({ tableName: 'bulk_indexed' })
class BulkIndexed {
  @PrimaryKey({ type: 'string', length: 20 })
  code!: string;

  @Index({ name: 'bulk_indexed_label_index' })
  @Property({ type: 'string', length: 200, nullable: true })
  label!: string | null;

  @Property({ type: 'boolean' })
  flag!: boolean;
}

@Entity({ tableName: 'bulk_keyed' })
class BulkKeyed {
  @PrimaryKey({ type: 'string', length: 20 })
  code!: string;

  @PrimaryKey({ type: 'integer' })
  part!: number;

  @Property({ type: 'string', length: 200, nullable: true })
  label!: string | null;
}

let db: TestDatabase;
let orm: Orm;
beforeAll(async () => {
  db = await createTestDatabase('bulk');
  orm = await openDatabase({
    url: db.url,
    entities: [BulkProbe, BulkIndexed, BulkKeyed],
    migrations: { sqlite: [], postgresql: [] },
  });
  await orm.getSchemaGenerator().createSchema();
});
afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

const rows = (n: number, label: string) =>
  Array.from({ length: n }, (_, i) => ({
    code: `c${i}`,
    label: `${label}\t"${i}"\\\n`,
    flag: i % 2 === 0,
  }));

async function all(): Promise<BulkProbe[]> {
  return (orm.em.fork() as EntityManager).find(BulkProbe, {}, { orderBy: { code: 'asc' } });
}

describe('bulkUpsert', () => {
  it('inserts, then updates on conflict without duplicating, keeping awkward text intact', async () => {
    const em = orm.em.fork() as EntityManager;
    await bulkUpsert(em, 'bulk_probe', rows(1200, 'first'), ['code']);
    await bulkUpsert(em, 'bulk_probe', rows(1200, 'second'), ['code']);
    const found = await all();
    expect(found).toHaveLength(1200);
    expect(found.find((r) => r.code === 'c7')).toMatchObject({
      label: 'second\t"7"\\\n',
      flag: false,
    });
  });

  it('joins the caller transaction, so a failure later in it writes nothing', async () => {
    const before = (await all()).length;
    await expect(
      orm.em.fork().transactional(async (em) => {
        await bulkUpsert(
          em as EntityManager,
          'bulk_probe',
          [{ code: 'new1', label: null, flag: true }],
          ['code'],
        );
        throw new Error('fails after the write');
      }),
    ).rejects.toThrow('fails after the write');
    expect(await all()).toHaveLength(before);
  });

  it('writes values shared by a whole statement, or by part of one, row by row as given', async () => {
    const em = orm.em.fork() as EntityManager;
    // 150 rows: the first 64 share label and flag, the next 64 share only the flag (labels
    // differ in one row), the last 22 share a null label. On SQLite a key repeated in one
    // statement keeps its last row (PostgreSQL refuses a key twice in one batch).
    const batch = Array.from({ length: 150 }, (_, i) => ({
      code: `s${i}`,
      label: i < 64 ? 'same — 同' : i < 128 ? (i === 100 ? 'odd\u2028🍵one' : 'next') : null,
      flag: i < 128 ? true : i % 2 === 0,
    }));
    const sqlite = isSqlite(em.getKnex());
    if (sqlite) batch.push({ code: 's149', label: 'last wins', flag: true });
    expect(await bulkUpsert(em, 'bulk_probe', batch, ['code'])).toBe(batch.length);
    const found = new Map((await all()).map((r) => [r.code, r]));
    expect(found.get('s0')).toMatchObject({ label: 'same — 同', flag: true });
    expect(found.get('s63')).toMatchObject({ label: 'same — 同', flag: true });
    expect(found.get('s64')).toMatchObject({ label: 'next', flag: true });
    expect(found.get('s100')).toMatchObject({ label: 'odd\u2028🍵one', flag: true });
    expect(found.get('s130')).toMatchObject({ label: null, flag: true });
    expect(found.get('s131')).toMatchObject({ label: null, flag: false });
    expect(found.get('s149')).toMatchObject(
      sqlite ? { label: 'last wins', flag: true } : { label: null, flag: false },
    );
    expect([...found.keys()].filter((k) => k.startsWith('s'))).toHaveLength(150);
  });

  it('writes in batches through BatchWriter', async () => {
    const em = orm.em.fork() as EntityManager;
    const flushed: number[] = [];
    const writer = new BatchWriter(em, 'bulk_probe', ['code'], 500, (n) => flushed.push(n));
    for (const row of rows(1300, 'third')) await writer.push(row);
    await writer.flush();
    expect(flushed).toEqual([500, 1000, 1300]);
    expect((await all()).filter((r) => r.label?.startsWith('third'))).toHaveLength(1300);
  });

  it('SeedWriters answers a promise only for the push that fills a batch, and loses no row', async () => {
    const em = orm.em.fork() as EntityManager;
    const out = new SeedWriters(em, { bulk_probe: ['code'] }, 3);
    const answers: boolean[] = [];
    for (let i = 0; i < 7; i++) {
      const p = out.push('bulk_probe', { code: `w${i}`, label: 'writers', flag: true });
      answers.push(p !== undefined);
      await p;
    }
    expect(answers).toEqual([false, false, true, false, false, true, false]);
    expect((await all()).filter((r) => r.label === 'writers')).toHaveLength(6);
    expect(await out.finish()).toEqual({ bulk_probe: 7 });
    expect((await all()).filter((r) => r.label === 'writers')).toHaveLength(7);
  });

  it('loads an empty table with its indexes deferred inside a transaction, or leaves it untouched', async () => {
    const knex = (orm.em as EntityManager).getKnex();
    const indexNames = async (k: Knex = knex): Promise<string[]> =>
      isSqlite(knex)
        ? (
            (await k.raw(
              "select name from sqlite_master where type = 'index' and tbl_name = 'bulk_indexed' and sql is not null",
            )) as { name: string }[]
          ).map((r) => r.name)
        : (
            (
              await k.raw(
                "select indexname as name from pg_indexes where tablename = 'bulk_indexed'",
              )
            ).rows as { name: string }[]
          )
            .map((r) => r.name)
            .filter((n) => n !== 'bulk_indexed_pkey');
    expect(await indexNames()).toEqual(['bulk_indexed_label_index']);

    await expect(
      orm.em.fork().transactional(async (em) => {
        await withDeferredIndexes(em as EntityManager, 'bulk_indexed', async () => {
          // Seen from inside the transaction: dropped until the load is done.
          expect(await indexNames(em.getTransactionContext<Knex.Transaction>())).toEqual([]);
          await bulkUpsert(em as EntityManager, 'bulk_indexed', rows(10, 'x'), []);
          throw new Error('load failed');
        });
      }),
    ).rejects.toThrow('load failed');
    expect(await indexNames()).toEqual(['bulk_indexed_label_index']);
    expect(Number((await knex('bulk_indexed').count({ n: '*' }).first())!.n)).toBe(0);

    await orm.em.fork().transactional(async (em) => {
      await withDeferredIndexes(em as EntityManager, 'bulk_indexed', () =>
        bulkUpsert(em as EntityManager, 'bulk_indexed', rows(10, 'y'), []),
      );
    });
    expect(await indexNames()).toEqual(['bulk_indexed_label_index']);
    expect(Number((await knex('bulk_indexed').count({ n: '*' }).first())!.n)).toBe(10);
  });

  it('with keys deferred (PostgreSQL), loads without the primary key and adds it back; a duplicate fails the load', async () => {
    const knex = (orm.em as EntityManager).getKnex();
    const sqlite = isSqlite(knex);
    const primaryKey = async (k: Knex = knex): Promise<string[]> =>
      sqlite
        ? (
            (await k.raw(
              "select name from pragma_table_info('bulk_keyed') where pk > 0 order by pk",
            )) as { name: string }[]
          ).map((r) => r.name)
        : (
            (
              await k.raw(
                `select a.attname as name from pg_index x join pg_attribute a
                 on a.attrelid = x.indrelid and a.attnum = any(x.indkey)
                 where x.indrelid = 'bulk_keyed'::regclass and x.indisprimary order by a.attnum`,
              )
            ).rows as { name: string }[]
          ).map((r) => r.name);
    const count = async () => Number((await knex('bulk_keyed').count({ n: '*' }).first())!.n);
    const keyed = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        code: `k${i % 50}`,
        part: Math.floor(i / 50),
        label: null,
      }));
    expect(await primaryKey()).toEqual(['code', 'part']);

    // A duplicate key: the load fails (on PostgreSQL when the key is added back) and nothing stays.
    await expect(
      orm.em.fork().transactional(async (em) => {
        await withDeferredIndexes(
          em as EntityManager,
          'bulk_keyed',
          async () => {
            const inside = await primaryKey(em.getTransactionContext<Knex.Transaction>());
            expect(inside).toEqual(sqlite ? ['code', 'part'] : []);
            await bulkUpsert(em as EntityManager, 'bulk_keyed', keyed(120), []);
            await bulkUpsert(
              em as EntityManager,
              'bulk_keyed',
              [{ code: 'k3', part: 1, label: 'again' }],
              [],
            );
          },
          { keys: true },
        );
      }),
    ).rejects.toThrow(/unique|duplicate/i);
    expect(await count()).toBe(0);
    expect(await primaryKey()).toEqual(['code', 'part']);

    await orm.em.fork().transactional(async (em) => {
      await withDeferredIndexes(
        em as EntityManager,
        'bulk_keyed',
        () => bulkUpsert(em as EntityManager, 'bulk_keyed', keyed(120), []),
        { keys: true },
      );
    });
    expect(await count()).toBe(120);
    expect(await primaryKey()).toEqual(['code', 'part']);
    // The key is back in force: an upsert on it updates instead of adding a row.
    await bulkUpsert(
      orm.em.fork() as EntityManager,
      'bulk_keyed',
      [{ code: 'k3', part: 1, label: 'upserted' }],
      ['code', 'part'],
    );
    expect(await count()).toBe(120);
    expect((await knex('bulk_keyed').where({ code: 'k3', part: 1 }).first())!.label).toBe(
      'upserted',
    );
  });
});
