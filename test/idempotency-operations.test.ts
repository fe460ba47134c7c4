import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { bootStack, type Stack } from './support/stack.js';

/**
 * One operation whose mutation fields go to one subgraph, then another, then the first again
 * (`a` and `b` to culture, `s` to commerce between them): the engine sends culture two
 * fetches, each with the operation's `Idempotency-Key`. Culture fingerprinted each fetch by
 * the mutation fields it held, so the second (`b` alone) differed from the first (`a` alone)
 * and was refused IDEMPOTENCY_KEY_REUSED: with a key, `b` could never be written, on the first
 * attempt or any retry. The gateway now sends the fingerprint of the client's whole operation
 * with the key, and the subgraphs compare that.
 */
const OP = `mutation($a: RecordAuditoriumEventInput!, $s: RegisterOnlineStoreInput!,
    $b: RecordAuditoriumEventInput!) {
  a: recordAuditoriumEvent(input: $a) { id title }
  s: registerOnlineStore(input: $s) { id name }
  b: recordAuditoriumEvent(input: $b) { id title }
}`;
const event = (title: string) => ({
  auditoriumId: 'aud-330203009205',
  date: '2021-03-09',
  title,
  type: 'LECTURE',
  attendance: 5,
});
const store = (name: string) => ({
  name,
  villageCode: '330203009205',
  platform: 'DOUYIN',
  category: 'TEA',
  openedOn: '2024-05-01',
  jobs: 3,
});

let stack: Stack;
beforeAll(async () => {
  stack = await bootStack({ scopes: ['330203'] });
}, 180_000);
afterAll(() => stack?.close());

async function rows(table: string, column: string, values: string[]): Promise<number> {
  const name = table === 'online_store' ? 'commerce' : 'culture';
  const knex = (stack.subgraphs[name].started.orm.em.fork() as EntityManager).getKnex();
  return Number((await knex(table).whereIn(column, values).count({ n: '*' }))[0].n);
}

describe('an Idempotency-Key on an operation that writes to a subgraph twice', () => {
  it('writes every field once, replays the whole answer, and still refuses another body', async () => {
    const headers = { ...stack.steward, 'Idempotency-Key': `interleaved-${Date.now()}` };
    const vars = { a: event('交错甲'), s: store('交错网店'), b: event('交错乙') };
    const first = await stack.query(OP, vars, headers);
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data).toMatchObject({
      a: { title: '交错甲' },
      s: { name: '交错网店' },
      b: { title: '交错乙' },
    });
    const again = await stack.query(OP, vars, headers);
    expect(again).toEqual(first);
    expect(await rows('auditorium_event', 'title', ['交错甲', '交错乙'])).toBe(2);
    expect(await rows('online_store', 'name', ['交错网店'])).toBe(1);
    // The same operation with another argument is another request.
    const other = await stack.query(OP, { ...vars, b: event('交错丙') }, headers);
    expect(other.status).toBe(422);
    expect(other.body.errors?.map((e) => e.extensions?.code)).toEqual([
      'IDEMPOTENCY_KEY_REUSED',
      'IDEMPOTENCY_KEY_REUSED',
      'IDEMPOTENCY_KEY_REUSED',
    ]);
    expect(await rows('auditorium_event', 'title', ['交错丙'])).toBe(0);
  });
});
