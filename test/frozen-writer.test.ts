import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDLE_IN_TRANSACTION_MS, type EntityManager } from '../subgraphs/shared/database.js';
import { startCultureProcess, type CultureProcess } from './support/culture-process.js';
import { ENGINE } from './support/databases.js';
import { postGraphQL, stewardHeaders } from './support/subgraph.js';

/**
 * A culture process stopped (SIGSTOP: a frozen VM, a network cut that leaves the socket open)
 * in the middle of a write's transaction kept its locks for as long as it was stopped: the
 * auditorium's row here, and the outbox lock when it stopped after its change row, which every
 * write of the domain takes. Every other replica's writes to them then failed after their lock
 * timeout, for as long as the process stayed stopped. PostgreSQL now ends a session idle in a
 * transaction after IDLE_IN_TRANSACTION_MS (database.ts): the locks go, the stopped write is
 * rolled back, and its retry with the same Idempotency-Key, once the process runs again, is
 * written once. PostgreSQL only (SQLite has no server session).
 */
const RECORD = `mutation Record($input: RecordAuditoriumEventInput!) {
  recordAuditoriumEvent(input: $input) { id title }
}`;
const AUDITORIUM = 'aud-330203009205';

describe.runIf(ENGINE === 'postgresql')('a write whose process stops mid-transaction', () => {
  let culture: CultureProcess;
  let url: string;
  beforeAll(async () => {
    culture = await startCultureProcess('330203');
    url = `${culture.base}/graphql`;
  }, 300_000);
  afterAll(() => culture?.stop());

  it('holds its locks at most IDLE_IN_TRANSACTION_MS; the retry with its key writes once', async () => {
    const knex = (culture.orm.em.fork() as EntityManager).getKnex();
    const title = `frozen-${Date.now()}`;
    const input = {
      auditoriumId: AUDITORIUM,
      date: '2021-03-01',
      title,
      type: 'LECTURE',
      attendance: 3,
    };
    const headers = { ...stewardHeaders(['culture:write']), 'Idempotency-Key': title };
    // The write waits for the auditorium's row, held here; it is stopped while it waits, and
    // gets the row once it is given up: the stopped process's session now holds it.
    const holder = await knex.transaction();
    await holder('auditorium').where({ id: AUDITORIUM }).forUpdate().select('id');
    const first = postGraphQL(url, RECORD, { input }, headers);
    let waiting = 0;
    for (const until = Date.now() + 4_000; waiting === 0 && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 50));
      const { rows } = await knex.raw(
        `select count(*) as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`,
      );
      waiting = Number((rows as { n: string }[])[0].n);
    }
    expect(waiting).toBe(1);
    process.kill(culture.child.pid!, 'SIGSTOP');
    try {
      await holder.commit();
      const stoppedAt = Date.now();
      // Another writer of the row (another replica) gets it once the stopped session is ended.
      let freedAfter: number | undefined;
      while (freedAfter === undefined && Date.now() - stoppedAt < IDLE_IN_TRANSACTION_MS + 10_000) {
        try {
          await knex.transaction(async (trx) => {
            await trx.raw('set local lock_timeout = 1000');
            await trx('auditorium').where({ id: AUDITORIUM }).forUpdate().select('id');
          });
          freedAfter = Date.now() - stoppedAt;
        } catch {
          // still held
        }
      }
      expect(freedAfter).toBeDefined();
      expect(freedAfter).toBeGreaterThanOrEqual(IDLE_IN_TRANSACTION_MS - 1_000);
    } finally {
      process.kill(culture.child.pid!, 'SIGCONT');
    }
    // The stopped write was rolled back: its answer says so, and nothing is in the table.
    const answer = await first;
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    const count = async () =>
      Number((await knex('auditorium_event').where({ title }).count({ n: '*' }))[0].n);
    expect(await count()).toBe(0);
    // Its retry with the same key is written, once.
    const retry = await postGraphQL(url, RECORD, { input }, headers);
    expect(retry.body.errors).toBeUndefined();
    expect(await postGraphQL(url, RECORD, { input }, headers)).toEqual(retry);
    expect(await count()).toBe(1);
  }, 120_000);
});
