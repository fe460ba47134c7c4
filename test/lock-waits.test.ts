import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { ENGINE } from './support/databases.js';
import { bootStack, type Stack } from './support/stack.js';

/**
 * PostgreSQL waits for a row lock for ever unless told otherwise. Writes queued behind one held
 * lock then took every connection of the subgraph's pool (10), so its reads waited too, for as
 * long as the lock was held, and the queued writes all applied when it ended, after their
 * callers may have given up. With lock_timeout (subgraphs/shared/database.ts) a write waits at
 * most 5 s for a lock, then rolls back and says so. SQLite has one connection and no row locks: PostgreSQL
 * only.
 */
const RECORD = `mutation Record($input: RecordAuditoriumEventInput!) {
  recordAuditoriumEvent(input: $input) { id }
}`;
const HOLD_MS = 8_000;

describe.runIf(ENGINE === 'postgresql')('writes queued behind a held row lock', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await bootStack({ scopes: ['331124'] });
  });
  afterAll(() => stack?.close());

  it('give up after the lock timeout, write nothing, and leave connections for reads', async () => {
    const list = await stack.query<{ auditoriums: { edges: { node: { id: string } }[] } }>(
      '{ auditoriums(first: 1) { edges { node { id } } } }',
    );
    const id = list.body.data!.auditoriums.edges[0].node.id;
    const knex = (stack.subgraphs.culture.started.orm.em.fork() as EntityManager).getKnex();
    const title = `lock-wait-${Date.now()}`;
    const input = { auditoriumId: id, date: '2021-03-01', title, type: 'LECTURE', attendance: 3 };
    const holder = await knex.transaction();
    await holder('auditorium').where({ id }).forUpdate().select('id');
    const released = new Promise<number>((resolve) =>
      setTimeout(() => void holder.commit().then(() => resolve(Date.now())), HOLD_MS),
    );
    const writes = Promise.all(
      Array.from({ length: 12 }, () => stack.query(RECORD, { input }, stack.steward)),
    );
    await new Promise((r) => setTimeout(r, 500));
    const read = stack
      .query<{ auditorium: { id: string } }>(`{ auditorium(id: "${id}") { id name } }`)
      .then((res) => ({ res, at: Date.now() }));
    const [answers, { res, at }, releasedAt] = await Promise.all([writes, read, released]);
    // The read was answered while the lock was still held.
    expect(res.body.data?.auditorium.id).toBe(id);
    expect(at).toBeLessThan(releasedAt);
    // The writes that waited 5 s for the lock were refused, saying nothing was written; those
    // that got a connection only when the first ones gave up got the lock in time.
    const refused = answers.filter((a) => a.body.errors);
    for (const answer of refused) {
      expect(answer.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
        [['recordAuditoriumEvent'], 'SUBGRAPH_UNAVAILABLE'],
      ]);
      expect(answer.body.errors?.[0].message).toMatch(/nothing was written/);
    }
    expect(refused.length).toBeGreaterThanOrEqual(5);
    // Exactly the writes answered with an id are in the table.
    await new Promise((r) => setTimeout(r, 500));
    const [{ n }] = await knex('auditorium_event').where({ title }).count({ n: '*' });
    expect(Number(n)).toBe(answers.length - refused.length);
  });
});
