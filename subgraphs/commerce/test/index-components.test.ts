import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootSubgraph, type BootedSubgraph } from '../../../test/support/subgraph.js';
import { commerceSubgraph } from '../index.js';
import { fenToYuan } from '../money/money.js';
import { dataOf, regionRepresentation } from './fixtures.js';

let commerce: BootedSubgraph;

beforeAll(async () => {
  commerce = await bootSubgraph(commerceSubgraph as never, { scopes: ['330203'] });
});
afterAll(() => commerce?.close());

const data = dataOf(() => commerce);
const fen = (amount: string) => BigInt(amount.replace('.', ''));
const COMPONENTS = `indexComponents { onlineRevenue revenuePerVillage { amount } }`;

/** A village's or region's commerce index components (a region scored over `rural` villages). */
async function components(code: string, rural?: number) {
  const representation =
    rural === undefined
      ? { __typename: 'Village', code }
      : { ...(await regionRepresentation(code)), ruralVillageCount: rural };
  const d = await data(
    `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Village { commerce { ${COMPONENTS} } } ... on Region { commerce { ${COMPONENTS} } } } }`,
    { r: [representation] },
  );
  return d._entities[0].commerce.indexComponents;
}

describe('commerce index components are the documented rounding of the exact figures', () => {
  it("rounds a village's revenue component at an exact half up", async () => {
    const village = '330203009205';
    const before = fen((await components(village)).revenuePerVillage.amount);
    // The next 2020 revenue of the form k.5 ten-thousandths of the 1,000,000-yuan cap whose
    // quotient as a double falls below the half (as 25,125,000 fen: 0.251249999…).
    let target = (before / 10_000n) * 10_000n + 5_000n;
    while (target < before || Math.round((Number(target) / 1e8) * 1e4) > target / 10_000n) {
      target += 10_000n;
    }
    expect(target).toBeLessThan(100_000_000n);
    const store = await data(`mutation { registerOnlineStore(input: { name: "Half-up tea",
      villageCode: "${village}", platform: JD, category: TEA, openedOn: "2019-06-01", jobs: 1 }) { id } }`);
    await data(`mutation($i: ReportStoreSalesInput!) { reportStoreSales(input: $i) { month } }`, {
      i: {
        storeId: store.registerOnlineStore.id,
        month: '2020-07',
        orders: 1,
        revenue: fenToYuan(target - before),
      },
    });
    expect(await components(village)).toEqual({
      onlineRevenue: Number(target / 10_000n + 1n) / 10_000,
      revenuePerVillage: { amount: fenToYuan(target) },
    });
  });

  it("rounds a region's revenue per village to the fen, an exact half up", async () => {
    const region = '330203';
    const total = fen((await components(region, 1)).revenuePerVillage.amount);
    expect(total).toBeGreaterThan(0n);
    // A village count whose remainder is at least half of it: truncation would lose a fen.
    let villages = 2n;
    while (2n * (total % villages) < villages) villages += 1n;
    const got = await components(region, Number(villages));
    expect(got.revenuePerVillage).toEqual({ amount: fenToYuan(total / villages + 1n) });
  });
});
