import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { bootStack, type Stack } from './support/stack.js';

/**
 * What one `Idempotency-Key` names, through the gateway to the subgraph that stores it, on the
 * real databases: "the same request" is the operation as it runs (a variable's default value
 * counts as sent).
 */
const VILLAGE = '331124001200';

let stack: Stack;
beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124'] });
}, 240_000);
afterAll(() => stack?.close());

async function storesNamed(name: string): Promise<number> {
  const knex = (stack.subgraphs.commerce.started.orm.em.fork() as EntityManager).getKnex();
  return Number((await knex('online_store').where('name', name).count({ n: '*' }))[0].n);
}

/** A registration whose `jobs` is a variable with a default. */
const withDefault = (name: string, jobs: number) =>
  `mutation($j: Int = ${jobs}) { registerOnlineStore(input: { name: "${name}",
    villageCode: "${VILLAGE}", platform: PINDUODUO, category: TEA, openedOn: "2021-03-01",
    jobs: $j }) { id jobs } }`;

describe('a variable left to its default value', () => {
  it('is part of the request: another default under the same key is refused, not replayed', async () => {
    const name = `默认值网店 ${Date.now()}`;
    const headers = { ...stack.steward, 'Idempotency-Key': `defaults-${Date.now()}` };
    const first = await stack.query(withDefault(name, 3), {}, headers);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data).toMatchObject({ registerOnlineStore: { jobs: 3 } });
    // The same request spelled with the value sent: a retry, answered the first result.
    const sent = await stack.query(withDefault(name, 9), { j: 3 }, headers);
    expect(sent.body).toEqual(first.body);
    // Another default is another write: it was answered the first result (jobs 3) for jobs 5.
    const other = await stack.query(withDefault(name, 5), {}, headers);
    expect(other.status).toBe(422);
    expect(other.body.errors?.map((e) => e.extensions?.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(await storesNamed(name)).toBe(1);
  });
});

const REGISTER = `mutation($i: RegisterOnlineStoreInput!) { registerOnlineStore(input: $i) { id } }`;
const store = (name: string) => ({
  i: {
    name,
    villageCode: VILLAGE,
    platform: 'DOUYIN',
    category: 'TEA',
    openedOn: '2021-03-01',
    jobs: 1,
  },
});

describe('a key only the quoted form can spell', () => {
  it('reaches the subgraph as that key: spaces at its ends and commas in it count', async () => {
    const name = `引号键网店 ${Date.now()}`;
    const stamp = Date.now();
    const send = (key: string) =>
      stack.query<{ registerOnlineStore: { id: string } }>(REGISTER, store(name), {
        ...stack.steward,
        'Idempotency-Key': key,
      });
    // Three keys, three writes: `" k"` reached the subgraph as `k`, and was answered k's store.
    const ids: string[] = [];
    for (const key of [`k${stamp}`, `" k${stamp}"`, `"k${stamp}, 2"`]) {
      const res = await send(key);
      expect(res.body.errors).toBeUndefined();
      ids.push(res.body.data!.registerOnlineStore.id);
      // A retry with the same spelling is the same key: its result again, nothing written.
      expect((await send(key)).body).toEqual(res.body);
    }
    expect(new Set(ids).size).toBe(3);
    expect(await storesNamed(name)).toBe(3);
  });
});

describe('a write whose answer fails below its field', () => {
  it('keeps its key claimed: the key is not taken for a write in another domain', async () => {
    const name = `答案失败网店 ${Date.now()}`;
    const headers = { ...stack.steward, 'Idempotency-Key': `answer-fails-${Date.now()}` };
    const register = (from: string) =>
      `mutation($i: RegisterOnlineStoreInput!) { registerOnlineStore(input: $i) {
        id monthlySales(from: "${from}", to: "2021-12") { month } } }`;
    // The store is written; its `monthlySales` is refused, which nulls the field up to the root.
    const first = await stack.query(register('2021-13'), store(name), headers);
    expect(first.body).toMatchObject({
      data: { registerOnlineStore: null },
      errors: [
        {
          path: ['registerOnlineStore', 'monthlySales'],
          extensions: { code: 'BAD_USER_INPUT', field: 'from' },
        },
      ],
    });
    expect(await storesNamed(name)).toBe(1);
    // Its key names that write: another domain's write under it is refused, nothing written.
    const title = `答案失败活动 ${Date.now()}`;
    const event = await stack.query(
      `mutation($i: RecordAuditoriumEventInput!) { recordAuditoriumEvent(input: $i) { id } }`,
      {
        i: {
          auditoriumId: `aud-${VILLAGE}`,
          date: '2021-03-08',
          title,
          type: 'LECTURE',
          attendance: 3,
        },
      },
      headers,
    );
    expect(event.status).toBe(422);
    expect(event.body.errors?.map((e) => e.extensions?.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    const culture = (stack.subgraphs.culture.started.orm.em.fork() as EntityManager).getKnex();
    expect(
      Number((await culture('auditorium_event').where({ title }).count({ n: '*' }))[0].n),
    ).toBe(0);
    // The retry with a selection that can be answered gets the store written the first time.
    const retry = await stack.query(register('2021-01'), store(name), headers);
    expect(retry.body.errors).toBeUndefined();
    expect(await storesNamed(name)).toBe(1);
  });
});

describe('the same values spelled otherwise', () => {
  it('are the same request: an ID written as a number is replayed, not refused', async () => {
    const name = `拼写网店 ${Date.now()}`;
    const headers = { ...stack.steward, 'Idempotency-Key': `spelling-${Date.now()}` };
    const spelled = (code: string) =>
      `mutation { registerOnlineStore(input: { name: "${name}", villageCode: ${code},
        platform: DOUYIN, category: TEA, openedOn: "2021-03-01", jobs: 1 }) { id villageCode } }`;
    const first = await stack.query(spelled(`"${VILLAGE}"`), {}, headers);
    expect(first.body.errors).toBeUndefined();
    // The same village code, as GraphQL's ID reads an Int literal: was 422 IDEMPOTENCY_KEY_REUSED.
    const again = await stack.query(spelled(VILLAGE), {}, headers);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const variables = await stack.query(
      `mutation($i: RegisterOnlineStoreInput!) { registerOnlineStore(input: $i) { id villageCode } }`,
      { i: { ...store(name).i, villageCode: VILLAGE, platform: 'DOUYIN' } },
      headers,
    );
    expect(variables.body).toEqual(first.body);
    expect(await storesNamed(name)).toBe(1);
  });
});
