import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { BatchWriter, bulkUpsert } from './bulk.js';
import { openDatabase, type EntityManager, type Orm } from './database.js';

@Entity({ tableName: 'bulk_probe' })
class BulkProbe {
  @PrimaryKey({ type: 'string', length: 20 })
  code!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  label!: string | null;

  @Property({ type: 'boolean' })
  flag!: boolean;
}

let db: TestDatabase;
let orm: Orm;
beforeAll(async () => {
  db = await createTestDatabase('bulk');
  orm = await openDatabase({
    url: db.url,
    entities: [BulkProbe],
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

  it('writes in batches through BatchWriter', async () => {
    const em = orm.em.fork() as EntityManager;
    const flushed: number[] = [];
    const writer = new BatchWriter(em, 'bulk_probe', ['code'], 500, (n) => flushed.push(n));
    for (const row of rows(1300, 'third')) await writer.push(row);
    await writer.flush();
    expect(flushed).toEqual([500, 1000, 1300]);
    expect((await all()).filter((r) => r.label?.startsWith('third'))).toHaveLength(1300);
  });
});
