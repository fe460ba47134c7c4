import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { bootSubgraph, type BootedSubgraph } from '../../../test/support/subgraph.js';
import { commerceSubgraph } from '../index.js';
import { dataOf, type Data } from './fixtures.js';

/**
 * A village's profile can show an enterprise of another village through one of its own stores
 * (`stores { … enterprise { stores years } }`): its other stores, their sales and its online
 * revenue. A write to any store of that enterprise changes that profile, so the change feed must
 * name the village, or a partner's copy of it stays stale for good (docs/partners.md).
 */
let commerce: BootedSubgraph;

beforeAll(async () => {
  commerce = await bootSubgraph(commerceSubgraph as never, { scopes: ['331124'] });
});
afterAll(() => commerce?.close());

const data = dataOf(() => commerce);
const knex = () => (commerce.started.orm.em as unknown as { getKnex(): Knex }).getKnex();

/** What a partner's export line of the village holds, as the gateway fetches it here. */
async function profile(village: string): Promise<Data> {
  const d = await data(
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Village { commerce {
      stores(first: 50) { edges { node { id enterprise { ...E park { id enterprises { ...E } } } } } }
      enterprises { id park { id enterprises { ...E } } } } } } }
    fragment E on Enterprise { id years { year onlineRevenue { amount } }
      stores(first: 50) { edges { node { id villageCode
        monthlySales(from: "2021-03", to: "2021-03") { orders revenue { amount } } } } } }`,
    { r: [{ __typename: 'Village', code: village }] },
  );
  return d._entities[0];
}

const lastChange = async () =>
  Number(((await knex()('village_change').max({ last: 'id' })) as { last: number }[])[0].last ?? 0);
const namedAfter = async (id: number) =>
  ((await knex()('village_change').where('id', '>', id)) as { village_code: string | null }[]).map(
    (r) => r.village_code,
  );

async function register(villageCode: string, enterpriseId: string, name: string) {
  const d = await data(
    `mutation($i: RegisterOnlineStoreInput!) { registerOnlineStore(input: $i) { id } }`,
    {
      i: {
        name,
        villageCode,
        platform: 'JD',
        category: 'TEA',
        openedOn: '2021-01-01',
        jobs: 1,
        enterpriseId,
      },
    },
  );
  return d.registerOnlineStore.id as string;
}

const report = (storeId: string, orders: number, revenue: string) =>
  data(`mutation($i: ReportStoreSalesInput!) { reportStoreSales(input: $i) { month } }`, {
    i: { storeId, month: '2021-03', orders, revenue },
  });

describe('an enterprise with stores in several villages', () => {
  it('names every village with one of its stores when another of them changes', async () => {
    const ent = (await knex()('enterprise')
      .whereNotNull('village_code')
      .where('village_code', 'like', '331124%')
      .orderBy('id')
      .first()) as { id: string; village_code: string };
    const [second, third] = ['331124001201', '331124001202', '331124001203'].filter(
      (v) => v !== ent.village_code,
    );
    await register(second, ent.id, 'Enterprise feed store B');

    // A new store of the enterprise elsewhere, then sales there and at the enterprise's own.
    const [ownStore] = (await knex()('online_store')
      .where({ enterprise_id: ent.id, village_code: ent.village_code })
      .orderBy('id')) as { id: string }[];
    const steps: [string, () => Promise<unknown>][] = [
      ['a store registered in a third village', () => register(third, ent.id, 'Store C')],
      ['sales of its own village store', () => report(ownStore.id, 9, '4321.00')],
      ['orders alone of its own village store', () => report(ownStore.id, 11, '4321.00')],
    ];
    for (const [what, write] of steps) {
      const before = await profile(second);
      const position = await lastChange();
      await write();
      // The write shows in the second village's profile (else this case tests nothing) …
      expect(await profile(second), what).not.toEqual(before);
      // … so the feed names that village.
      expect(await namedAfter(position), what).toContain(second);
    }
  });
});

describe('an enterprise of an e-commerce park', () => {
  it("names the villages of the park's other enterprises when one of its stores changes", async () => {
    const [store] = (await knex()('online_store as s')
      .join('enterprise as e', 'e.id', 's.enterprise_id')
      .whereNotNull('e.park_id')
      .whereNotNull('e.village_code')
      .select('s.id', 'e.id as enterprise', 'e.park_id as park', 'e.village_code as village')
      .orderBy('s.id')) as { id: string; enterprise: string; park: string; village: string }[];
    // Another enterprise of the park, in another village: its village shows the park.
    const neighbour = (await knex()('enterprise')
      .where('park_id', store.park)
      .whereNot('village_code', store.village)
      .whereNotNull('village_code')
      .orderBy('id')
      .first()) as { village_code: string };
    const before = await profile(neighbour.village_code);
    const position = await lastChange();
    await report(store.id, 13, '5678.00');
    expect(await profile(neighbour.village_code)).not.toEqual(before);
    expect(await namedAfter(position)).toContain(neighbour.village_code);
  });
});
