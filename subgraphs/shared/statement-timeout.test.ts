import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINE, type TestDatabase } from '../../test/support/databases.js';
import { openDatabase, type EntityManager, type Orm } from './database.js';
import { retryableDatabaseError } from './errors.js';
import { inTransaction } from './transaction.js';

/**
 * DB_STATEMENT_TIMEOUT_MS on a real PostgreSQL: a statement that runs longer is cancelled and
 * answered SUBGRAPH_UNAVAILABLE, the connection stays usable; a transaction that lifts
 * statement_timeout for itself (a seed load) is bounded by neither side until it ends.
 * PostgreSQL only (SQLite runs statements synchronously, in process).
 */
describe.runIf(ENGINE === 'postgresql')('a bound on each statement (PostgreSQL)', () => {
  let db: TestDatabase;
  let orm: Orm;
  beforeAll(async () => {
    db = await createTestDatabase('stmttimeout');
    orm = await openDatabase({
      url: db.url,
      entities: [],
      migrations: { sqlite: [], postgresql: [] },
      statementTimeoutMs: 300,
    });
  });
  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  const knex = () => (orm.em.fork() as EntityManager).getKnex();
  const failure = (work: Promise<unknown>) =>
    work.then(
      () => expect.fail('the statement was not cut off'),
      (err: unknown) => err,
    );

  it('cuts off a statement that runs longer: SUBGRAPH_UNAVAILABLE, and the pool goes on', async () => {
    const error = await failure(knex().raw('select pg_sleep(2)'));
    expect(retryableDatabaseError({ message: 'x', path: ['r'] }, error, {})).toEqual({
      message: 'The database did not answer in time. Try again shortly.',
      path: ['r'],
      extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
    });
    const { rows } = await knex().raw('select 1 as one');
    expect(rows).toEqual([{ one: 1 }]);
  });

  it('does not bound a transaction that lifts statement_timeout, until it ends', async () => {
    const slept = await inTransaction(orm.em.fork() as EntityManager, async (_em, trx) => {
      await trx.raw('set local statement_timeout = 0');
      const { rows } = await trx.raw('select pg_sleep(1.5), 1 as one');
      return (rows as { one: number }[])[0].one;
    });
    expect(slept).toBe(1);
    await failure(knex().raw('select pg_sleep(2)'));
  });
});
