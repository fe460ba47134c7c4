import { Entity, PrimaryKey } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINE, type TestDatabase } from '../../test/support/databases.js';
import { openDatabase, type EntityManager, type Orm } from './database.js';
import { noteCommitError, retryableDatabaseError } from './errors.js';
import { inTransaction } from './transaction.js';

@Entity({ tableName: 'connection_loss_probe' })
class ConnectionLossProbe {
  @PrimaryKey({ type: 'string', length: 20 })
  code!: string;
}

const answerTo = (error: unknown) => retryableDatabaseError({ message: 'x', path: ['w'] }, error);

describe('errors of a lost connection, as the driver and the server report them', () => {
  it('are SUBGRAPH_UNAVAILABLE: class 08, 57P01-03, socket errors, the pg driver messages', () => {
    const lost = [
      { code: '08006' },
      { code: '08003' },
      { code: '57P01' },
      { code: '57P02' },
      { code: '57P03' },
      { code: 'ECONNRESET' },
      { code: 'ECONNREFUSED' },
      new Error('select 1 - Connection terminated unexpectedly'),
      new Error('Client has encountered a connection error and is not queryable'),
      // A new connection the server accepted and never answered (hung), given up on by pg.
      new Error('timeout expired'),
    ];
    for (const error of lost) {
      expect(answerTo({ originalError: error })).toEqual({
        message: expect.stringMatching(/connection to the database was lost; nothing was written/),
        path: ['w'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
      });
    }
    // No connection to be had (knex's pool acquire timeout, SQLite locked): busy, not lost.
    const busy = Object.assign(new Error('Knex: Timeout acquiring a connection.'), {
      name: 'KnexTimeoutError',
    });
    // The same, as MikroORM rethrows it from a statement sent through the EntityManager.
    const renamed = Object.assign(new Error(busy.message), { name: 'DriverException' });
    for (const error of [busy, renamed, { code: 'SQLITE_BUSY' }]) {
      expect(answerTo({ originalError: error })).toEqual({
        message: expect.stringMatching(/database is busy; nothing was written/),
        path: ['w'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
      });
    }
    // Out of disk, memory or connections, as the database says it: the statement failed.
    for (const code of ['53100', '53200', '53300', 'SQLITE_FULL']) {
      const error = Object.assign(new Error('database or disk is full'), { code });
      expect(answerTo({ originalError: error })).toEqual({
        message: expect.stringMatching(/out of room or resources; nothing was written/),
        path: ['w'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
      });
    }
    // The COMMIT's own error, in the wrapper that reaches formatError: the wrapper repeats the
    // driver's words, the mark is on what it wraps.
    const commit = new Error('Connection terminated unexpectedly');
    noteCommitError(commit);
    const wrapped = {
      message: 'COMMIT; - Connection terminated unexpectedly',
      originalError: commit,
    };
    expect(answerTo({ message: wrapped.message, originalError: wrapped })?.message).toMatch(
      /while this write was being committed: it may or may not/,
    );
    // A statement that got no answer in time: cancelled by the server (statement_timeout), or
    // given up on by the client (a hung server); at COMMIT, it may have been written.
    for (const code of ['57014', 'STATEMENT_TIMED_OUT']) {
      const error = Object.assign(new Error('canceling statement due to statement timeout'), {
        code,
      });
      expect(answerTo({ originalError: error })).toEqual({
        message: expect.stringMatching(/did not answer in time; nothing was written/),
        path: ['w'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
      });
      noteCommitError(error);
      expect(answerTo({ originalError: error })?.message).toMatch(
        /did not answer in time while this write was being committed: it may or may not/,
      );
    }
    // Other errors stay unexpected (masked and logged by the caller).
    for (const error of [{ code: '23505' }, { code: '57P04' }, new Error('boom')]) {
      expect(answerTo(error)).toBeUndefined();
    }
  });
});

describe('the same errors under a read', () => {
  it('say what failed and nothing of a write', () => {
    const read = (error: unknown) =>
      retryableDatabaseError({ message: 'x', path: ['r'] }, { originalError: error }, {});
    const cases: [object, RegExp][] = [
      [{ code: '08006' }, /^The connection to the database was lost\. Try again shortly\.$/],
      [{ code: 'SQLITE_BUSY' }, /^The database is busy\. Try again shortly\.$/],
      [{ code: '53300' }, /^The database is out of room or resources\. Try again shortly\.$/],
      [{ code: '57014' }, /^The database did not answer in time\. Try again shortly\.$/],
      [{ code: '40P01' }, /^Another transaction holds the data this read needs\./],
    ];
    for (const [error, message] of cases) {
      expect(read(error)).toEqual({
        message: expect.stringMatching(message),
        path: ['r'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
      });
      expect(read(error)?.message).not.toMatch(/writ|Idempotency/);
    }
  });
});

/**
 * A transaction's backend terminated before its COMMIT and while it is committed: before, the
 * transaction rolled back (nothing was written); during, the database may have committed before
 * the connection went, so the answer may not say nothing was written. PostgreSQL only.
 */
describe.runIf(ENGINE === 'postgresql')('a transaction whose connection is lost', () => {
  let db: TestDatabase;
  let orm: Orm;
  beforeAll(async () => {
    db = await createTestDatabase('connloss');
    orm = await openDatabase({
      url: db.url,
      entities: [ConnectionLossProbe],
      migrations: { sqlite: [], postgresql: [] },
    });
    await orm.getSchemaGenerator().createSchema();
  });
  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  const knex = () => (orm.em.fork() as EntityManager).getKnex();
  const terminate = async (pid: number) => {
    await knex().raw('select pg_terminate_backend(?)', [pid]);
    await new Promise((r) => setTimeout(r, 200)); // the client hears of it
  };
  const stored = async (code: string) =>
    Number((await knex()('connection_loss_probe').where({ code }).count({ n: '*' }))[0].n);

  async function failureOf(code: string, killBeforeCommit: boolean): Promise<unknown> {
    const em = orm.em.fork() as EntityManager;
    return inTransaction(em, async (_tem, trx) => {
      await trx('connection_loss_probe').insert({ code });
      const { rows } = await trx.raw('select pg_backend_pid() as pid');
      const pid = (rows as { pid: number }[])[0].pid;
      if (killBeforeCommit) await trx.raw('select pg_terminate_backend(?)', [pid]);
      else await terminate(pid);
    }).then(
      () => expect.fail('the transaction committed'),
      (err: unknown) => err,
    );
  }

  it('before COMMIT: nothing was written, and the answer says so', async () => {
    const error = await failureOf('before', true);
    expect(answerTo(error)?.message).toMatch(/lost; nothing was written/);
    expect(await stored('before')).toBe(0);
  });

  it('during COMMIT: the answer says the write may have been kept, not that nothing was', async () => {
    const error = await failureOf('during', false);
    expect(answerTo(error)).toEqual({
      message: expect.stringMatching(/while this write was being committed: it may or may not/),
      path: ['w'],
      extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
    });
    expect(answerTo(error)?.message).not.toMatch(/nothing was written/);
  });
});
