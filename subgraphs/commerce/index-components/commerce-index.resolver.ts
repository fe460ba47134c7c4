import { Field, Float } from 'type-graphql';
import {
  INDEX_YEAR,
  IndexComponents,
  IndexComponentsType,
  indexFieldResolvers,
} from '../../shared/index-components.js';
import { requiredInput } from '../../shared/errors.js';
import { componentOf, ratioOf, roundedQuotient } from '../../shared/ratios.js';
import { REGION_COUNTS } from '../../shared/references.js';
import type { CommerceContext } from '../context.js';
import { Money, money } from '../money/money.js';
import { RegionCommerce } from '../region/region-commerce.types.js';
import { Region } from '../region/region.reference.js';
import { VillageCommerce } from '../village/village-commerce.resolver.js';
import { Village } from '../village/village.reference.js';

/**
 * Commerce's part of the digital-village index (README: "Digital-village index"): the caps that
 * score 1 — two active online stores per rural village, and 1,000,000 yuan of online revenue per
 * rural village in the reference year (Zhejiang's seeded averages are about 0.6 stores and
 * 200,000 yuan).
 */
export const COMMERCE_INDEX = {
  storesPerVillageCap: 2,
  revenueFenPerVillageCap: 100_000_000n,
} as const;

@IndexComponentsType('Commerce')
export class CommerceIndexComponents extends IndexComponents {
  @Field(() => Float, {
    description: 'Active online stores per rural village ÷ 2, capped at 1.',
  })
  stores!: number;

  @Field(() => Float, {
    description:
      'Online revenue per rural village in the reference year ÷ 1,000,000 yuan, capped at 1.',
  })
  onlineRevenue!: number;

  @Field(() => Float, { description: 'Active online stores per rural village (2 decimals).' })
  storesPerVillage!: number;

  @Field(() => Money, { description: 'Online revenue per rural village in the reference year.' })
  revenuePerVillage!: Money;
}

async function components(
  ctx: CommerceContext,
  code: string,
  villages: number,
): Promise<CommerceIndexComponents> {
  const [row, sales] = await Promise.all([
    ctx.loaders.rollups.region.load(code),
    ctx.loaders.rollups.regionSales.load({ code, ...INDEX_YEAR.months }),
  ]);
  const storeCount = row?.storeCount ?? 0;
  const { storesPerVillageCap, revenueFenPerVillageCap } = COMMERCE_INDEX;
  // Every figure from the integers (store count, fen, villages), rounded once, an exact half up.
  return CommerceIndexComponents.of(
    {
      code,
      stores: componentOf(storeCount, villages * storesPerVillageCap),
      onlineRevenue: componentOf(sales.revenueFen, BigInt(villages) * revenueFenPerVillageCap),
      storesPerVillage: ratioOf(storeCount, villages, 2) ?? 0,
      revenuePerVillage: money(
        villages > 0 ? roundedQuotient(sales.revenueFen, BigInt(villages)) : 0n,
      ),
      // A region has figures where commerce holds a rollup; a village always (0 stores is a count).
      hasFigures: code.length === 12 || row !== null,
    },
    `Computed from the store and ${INDEX_YEAR.year} sales rollups, sums of mostly synthetic records.`,
  );
}

/**
 * Commerce's index fields. The inputs places requires are the views' components (a region's
 * only where commerce holds a rollup for it; zeros with `hasFigures: false` otherwise).
 */
export const COMMERCE_INDEX_RESOLVERS = indexFieldResolvers({
  domain: 'Commerce',
  components: CommerceIndexComponents,
  regionView: {
    type: RegionCommerce,
    description:
      "Commerce's components of the digital-village index, from the rollup tables (per rural " +
      'village: the count comes from the places subgraph).',
    compute: (view: RegionCommerce, ctx: CommerceContext) =>
      components(ctx, view.code, requiredInput(view.ruralVillageCount)),
  },
  villageView: {
    type: VillageCommerce,
    description: "Commerce's components of the digital-village index for this village.",
    compute: (view: VillageCommerce, ctx: CommerceContext) => components(ctx, view.villageCode, 1),
  },
  region: {
    type: Region,
    // The children too: a region places holds more of than commerce is refused (loaded-scope.ts).
    requires: REGION_COUNTS,
    compute: (region: Region, ctx: CommerceContext) =>
      components(ctx, region.code, requiredInput(region.ruralVillageCount)),
  },
  village: {
    type: Village,
    compute: (village: Village, ctx: CommerceContext) => components(ctx, village.code, 1),
  },
});
