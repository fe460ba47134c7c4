import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { openDatabase, type EntityManager, type Orm } from './database.js';
import { inTransaction } from './transaction.js';

@Entity({ tableName: 'transaction_probe' })
class TransactionProbe {
  @PrimaryKey({ type: 'string', length: 20 })
  code!: string;

  @Property({ type: 'integer' })
  count!: number;
}

let db: TestDatabase;
let orm: Orm;
beforeAll(async () => {
  db = await createTestDatabase('transaction');
  orm = await openDatabase({
    url: db.url,
    entities: [TransactionProbe],
    migrations: { sqlite: [], postgresql: [] },
  });
  await orm.getSchemaGenerator().createSchema();
});
afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

const codes = async () =>
  (
    await (orm.em.fork() as EntityManager).find(TransactionProbe, {}, { orderBy: { code: 'asc' } })
  ).map((p) => `${p.code}:${p.count}`);

describe('inTransaction', () => {
  it('commits what the work wrote, entities flushed and raw statements alike', async () => {
    const em = orm.em.fork() as EntityManager;
    const out = await inTransaction(em, async (tem, trx) => {
      tem.create(TransactionProbe, { code: 'a', count: 1 });
      await trx('transaction_probe').insert({ code: 'b', count: 2 });
      // Reads through the fork see the transaction's rows (the entity is flushed first).
      expect(await tem.count(TransactionProbe, {})).toBe(2);
      return 'done';
    });
    expect(out).toBe('done');
    expect(await codes()).toEqual(['a:1', 'b:2']);
  });

  it('rolls everything back when the work throws, and rethrows its error', async () => {
    const em = orm.em.fork() as EntityManager;
    const failure = new Error('half-way');
    await expect(
      inTransaction(em, async (tem, trx) => {
        await trx('transaction_probe').insert({ code: 'c', count: 3 });
        tem.create(TransactionProbe, { code: 'd', count: 4 });
        await tem.flush();
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await codes()).toEqual(['a:1', 'b:2']);
  });

  it('rolls back when the commit itself fails (a duplicate key at flush)', async () => {
    const em = orm.em.fork() as EntityManager;
    await expect(
      inTransaction(em, async (tem, trx) => {
        await trx('transaction_probe').insert({ code: 'e', count: 5 });
        tem.create(TransactionProbe, { code: 'a', count: 9 });
      }),
    ).rejects.toThrow();
    expect(await codes()).toEqual(['a:1', 'b:2']);
  });

  it('runs no AsyncLocalStorage for writes through statements, as every mutation writes', async () => {
    const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    const enterWith = vi.spyOn(AsyncLocalStorage.prototype, 'enterWith');
    try {
      await inTransaction(orm.em.fork() as EntityManager, async (tem, trx) => {
        await trx('transaction_probe').insert({ code: 'f', count: 6 });
        // A read through the fork, as mutations read what they wrote.
        expect((await tem.findOneOrFail(TransactionProbe, { code: 'f' })).count).toBe(6);
      });
      expect(run).not.toHaveBeenCalled();
      expect(enterWith).not.toHaveBeenCalled();
      // The spy does see MikroORM's own ways: em.transactional, and any flush of the unit of work.
      await (orm.em.fork() as EntityManager).transactional(async () => {});
      expect(run).toHaveBeenCalledTimes(2);
      await inTransaction(orm.em.fork() as EntityManager, async (tem) => {
        tem.create(TransactionProbe, { code: 'g', count: 7 });
      });
      expect(run).toHaveBeenCalledTimes(3);
    } finally {
      run.mockRestore();
      enterWith.mockRestore();
    }
    expect(await codes()).toEqual(['a:1', 'b:2', 'f:6', 'g:7']);
  });
});
