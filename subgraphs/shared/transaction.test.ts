import { Collection, Entity, ManyToMany, PrimaryKey, Property } from '@mikro-orm/core';
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, ENGINE, type TestDatabase } from '../../test/support/databases.js';
import { openDatabase, type EntityManager, type Orm } from './database.js';
import { inTransaction } from './transaction.js';

@Entity({ tableName: 'transaction_probe' })
class TransactionProbe {
  @PrimaryKey({ type: 'string', length: 20 })
  code!: string;

  @Property({ type: 'integer' })
  count!: number;

  @ManyToMany({ entity: () => ProbeTag, pivotTable: 'transaction_probe_tags' })
  tags = new Collection<ProbeTag>(this);
}

@Entity({ tableName: 'transaction_probe_tag' })
class ProbeTag {
  @PrimaryKey({ type: 'string', length: 20 })
  name!: string;
}

let db: TestDatabase;
let orm: Orm;
beforeAll(async () => {
  db = await createTestDatabase('transaction');
  orm = await openDatabase({
    url: db.url,
    entities: [TransactionProbe, ProbeTag],
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

  it('writes a change to a collection alone (a many-to-many link)', async () => {
    await inTransaction(orm.em.fork() as EntityManager, async (tem) => {
      tem.create(ProbeTag, { name: 'tea' });
    });
    await inTransaction(orm.em.fork() as EntityManager, async (tem) => {
      const probe = await tem.findOneOrFail(TransactionProbe, { code: 'a' });
      probe.tags.add(await tem.findOneOrFail(ProbeTag, { name: 'tea' }));
    });
    const probe = await (orm.em.fork() as EntityManager).findOneOrFail(
      TransactionProbe,
      { code: 'a' },
      { populate: ['tags'] },
    );
    expect(probe.tags.getItems().map((t) => t.name)).toEqual(['tea']);
  });

  it('runs a nested call inside the open transaction: one outcome for both', async () => {
    const failure = new Error('after the inner work');
    await expect(
      inTransaction(orm.em.fork() as EntityManager, async (tem) => {
        await inTransaction(tem, async (_inner, trx) => {
          await trx('transaction_probe').insert({ code: 'h', count: 8 });
        });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await codes()).not.toContain('h:8');
  }, 10_000);

  it('keeps nothing when a nested call fails, even if the outer work catches it', async () => {
    await expect(
      inTransaction(orm.em.fork() as EntityManager, async (tem, trx) => {
        await trx('transaction_probe').insert({ code: 'm', count: 1 });
        await inTransaction(tem, async (_inner, itrx) => {
          await itrx('transaction_probe').insert({ code: 'n', count: 2 });
          // A duplicate key: on PostgreSQL this also aborts the whole transaction.
          await itrx('transaction_probe').insert({ code: 'a', count: 3 });
        }).catch(() => undefined); // the outer work catches it and carries on
        await trx('transaction_probe').insert({ code: 'o', count: 4 });
      }),
    ).rejects.toThrow();
    expect((await codes()).filter((c) => /^[mno]:/.test(c))).toEqual([]);
  });

  it('flushes what a nested call wrote through a fork bound to the transaction', async () => {
    await inTransaction(orm.em.fork() as EntityManager, async (tem) => {
      const fork = tem.fork({ keepTransactionContext: true }) as EntityManager;
      await inTransaction(fork, async (ftem) => {
        ftem.create(TransactionProbe, { code: 'k', count: 5 });
      });
    });
    expect(await codes()).toContain('k:5');
  });

  it('refuses a nested call given the outer manager, at once, and keeps nothing', async () => {
    const em = orm.em.fork() as EntityManager;
    const started = Date.now();
    await expect(
      inTransaction(em, async (_tem, trx) => {
        await trx('transaction_probe').insert({ code: 'p', count: 1 });
        // The manager the transaction was begun from, not the one handed to the work: on SQLite
        // this waited for the only connection, on PostgreSQL it committed on its own.
        await inTransaction(em, async (_inner, itrx) => {
          await itrx('transaction_probe').insert({ code: 'q', count: 2 });
        }).catch(() => undefined); // caught: the transaction still fails
      }),
    ).rejects.toThrow(/pass the manager handed to the work/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await codes()).filter((c) => /^[pq]:/.test(c))).toEqual([]);
    // The manager is free again once its transaction has ended.
    await inTransaction(em, async (_tem, trx) => {
      await trx('transaction_probe').insert({ code: 'r', count: 3 });
    });
    expect(await codes()).toContain('r:3');
  }, 20_000);

  it('leaves the connection usable after a commit that fails (a deferred foreign key)', async () => {
    const knex = (orm.em as EntityManager).getKnex();
    await knex.schema.createTable('transaction_parent', (t) => t.string('id').primary());
    await knex.schema.createTable('transaction_child', (t) => {
      t.string('id').primary();
      t.string('parent_id').references('id').inTable('transaction_parent').deferrable('deferred');
    });
    await expect(
      inTransaction(orm.em.fork() as EntityManager, async (_tem, trx) => {
        // SQLite checks deferred keys at COMMIT (its declared DEFERRABLE is ignored by knex's
        // create table there, so the pragma defers them); PostgreSQL does too.
        if (ENGINE === 'sqlite') await trx.raw('PRAGMA defer_foreign_keys = ON');
        await trx('transaction_child').insert({ id: 'orphan', parent_id: 'none' });
      }),
    ).rejects.toThrow(/foreign key/i);
    // Nothing of it was kept, and the next write goes through on the same connection.
    expect(Number((await knex('transaction_child').count({ n: '*' }))[0]!.n)).toBe(0);
    await inTransaction(orm.em.fork() as EntityManager, async (_tem, trx) => {
      await trx('transaction_probe').insert({ code: 'i', count: 9 });
    });
    expect(await codes()).toContain('i:9');
  }, 10_000);
});
