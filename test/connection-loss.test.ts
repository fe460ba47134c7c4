import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { ENGINE } from './support/databases.js';
import { bootStack, type Stack } from './support/stack.js';

/**
 * A PostgreSQL backend terminated while it serves a request (pg_terminate_backend, a server
 * restart, a failover) failed the field with INTERNAL_SERVER_ERROR. It is SUBGRAPH_UNAVAILABLE,
 * which clients retry, and a write that lost its connection before COMMIT says nothing was
 * written — true, and checked in the table. The backends are made to wait on a lock held here
 * so that the one serving the request can be told apart and terminated mid-statement. SQLite
 * has no server connection to lose: PostgreSQL only.
 */
const RECORD = `mutation Record($input: RecordAuditoriumEventInput!) {
  recordAuditoriumEvent(input: $input) { id }
}`;

describe.runIf(ENGINE === 'postgresql')('a database connection lost mid-request', () => {
  let stack: Stack;
  let knex: ReturnType<EntityManager['getKnex']>;
  let id: string;
  beforeAll(async () => {
    stack = await bootStack({ scopes: ['331124'] });
    knex = (stack.subgraphs.culture.started.orm.em.fork() as EntityManager).getKnex();
    const list = await stack.query<{ auditoriums: { edges: { node: { id: string } }[] } }>(
      '{ auditoriums(first: 1) { edges { node { id } } } }',
    );
    id = list.body.data!.auditoriums.edges[0].node.id;
  });
  afterAll(() => stack?.close());

  /** Runs `request` while `lock` is held, terminating every backend that waits for it. */
  async function terminatedWhileWaiting<T>(lock: string, request: () => Promise<T>): Promise<T> {
    const holder = await knex.transaction();
    try {
      await holder.raw(lock);
      const answer = request();
      let killed = 0;
      for (const deadline = Date.now() + 4_000; killed === 0 && Date.now() < deadline;) {
        await new Promise((r) => setTimeout(r, 100));
        // Not on `holder`: a transaction sees pg_stat_activity as it was at its first look.
        const { rows } = await knex.raw(
          `select pg_terminate_backend(pid) as done from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`,
        );
        killed = (rows as { done: boolean }[]).filter((r) => r.done).length;
      }
      expect(killed).toBeGreaterThan(0);
      return await answer;
    } finally {
      await holder.rollback();
    }
  }

  it('fails a write with SUBGRAPH_UNAVAILABLE, nothing written (it was INTERNAL_SERVER_ERROR)', async () => {
    const title = `conn-loss-${Date.now()}`;
    const input = { auditoriumId: id, date: '2021-03-01', title, type: 'LECTURE', attendance: 3 };
    const answer = await terminatedWhileWaiting(
      `select id from auditorium where id = '${id}' for update`,
      () => stack.query(RECORD, { input }, stack.steward),
    );
    expect(answer.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['recordAuditoriumEvent'], 'SUBGRAPH_UNAVAILABLE'],
    ]);
    expect(answer.body.errors?.[0].message).toMatch(/connection .* lost; nothing was written/);
    const [{ n }] = await knex('auditorium_event').where({ title }).count({ n: '*' });
    expect(Number(n)).toBe(0);
  });

  it('fails a read with SUBGRAPH_UNAVAILABLE, and the next read is answered', async () => {
    const read = () => stack.query(`{ auditorium(id: "${id}") { id } }`);
    const answer = await terminatedWhileWaiting(
      'lock table auditorium in access exclusive mode',
      read,
    );
    expect(answer.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['auditorium'], 'SUBGRAPH_UNAVAILABLE'],
    ]);
    // A read's words: it wrote nothing to begin with (it said "nothing was written").
    expect(answer.body.errors?.[0].message).toBe(
      'The connection to the database was lost. Try again shortly.',
    );
    expect((await read()).body).toEqual({ data: { auditorium: { id } } });
  });
});
