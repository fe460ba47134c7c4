import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from '@mikro-orm/knex';
import { bootSubgraph, type BootedSubgraph } from '../../../test/support/subgraph.js';
import { commerceSubgraph } from '../index.js';
import { rebuildRollups } from '../rollup/rollup.rebuild.js';
import { dataOf, regionRepresentation } from './fixtures.js';

let commerce: BootedSubgraph;
const data = dataOf(() => commerce);
const FROM = '2020-01';
const TO = '2021-12';

beforeAll(async () => {
  commerce = await bootSubgraph(commerceSubgraph as never, { scopes: ['330203'] });
});
afterAll(() => commerce?.close());

const knex = () => (commerce.started.orm.em as unknown as { getKnex(): Knex }).getKnex();

const regionQuery = `query($r: [_Any!]!, $from: String!, $to: String!) {
  _entities(representations: $r) { ... on Region { code commerce {
    stores { total } jobs { count }
    onlineSales(from: $from, to: $to) { orders revenue { amount } }
    childRanking(by: ORDERS, from: $from, to: $to, first: 100) { region { code } count }
  } } } }`;

async function regionOf(code: string) {
  const r = [await regionRepresentation(code)];
  const d = await data(regionQuery, { r, from: FROM, to: TO });
  return d._entities[0].commerce;
}

describe('rollups of a region whose only stores are not active', () => {
  it('answers its sales and ranks it among its siblings, with no active store counted', async () => {
    // A township with sales: every store there suspended, every other commerce record removed,
    // so that its stores' sales are all that commerce holds of it.
    const k = knex();
    const [{ township }] = (await k('online_store')
      .select(k.raw('substr(village_code, 1, 9) as township'))
      .orderBy('village_code')
      .limit(1)) as { township: string }[];
    const inTownship = (t: string) => k(t).where('village_code', 'like', `${township}%`);
    await k.transaction(async (trx) => {
      await trx('online_store')
        .where('village_code', 'like', `${township}%`)
        .update({ status: 'SUSPENDED' });
      for (const t of ['service_point', 'processing_workshop'])
        await trx(t).where('village_code', 'like', `${township}%`).delete();
      await trx('enterprise').where('village_code', 'like', `${township}%`).delete();
      await rebuildRollups(trx);
    });
    expect(Number((await inTownship('online_store').count({ n: '*' }))[0].n)).toBeGreaterThan(0);

    const villages = (await k('online_store as s')
      .join('store_monthly_sales as m', 'm.store_id', 's.id')
      .where('s.village_code', 'like', `${township}%`)
      .whereBetween('m.month', [FROM, TO])
      .sum({ orders: 'm.orders' })) as { orders: number | string | null }[];
    const orders = Number(villages[0].orders);
    expect(orders).toBeGreaterThan(0);

    const own = await regionOf(township);
    expect(own).not.toBeNull();
    expect(own.stores.total).toBe(0);
    expect(own.jobs.count).toBe(0);
    expect(own.onlineSales.orders).toBe(orders);

    // The county ranks every township with sales, this one included, and its figure is the
    // sum of its townships'.
    const county = await regionOf(township.slice(0, 6));
    const ranked = county.childRanking as { region: { code: string }; count: number }[];
    expect(ranked.find((e) => e.region.code === township)?.count).toBe(orders);
    expect(ranked.reduce((s, e) => s + e.count, 0)).toBe(county.onlineSales.orders);
  });
});
