import {
  Ctx,
  Directive,
  Field,
  FieldResolver,
  Float,
  ID,
  Int,
  ObjectType,
  Resolver,
  Root,
} from 'type-graphql';
import {
  Provenance,
  ProvenanceKind,
  SYNTHETIC_SOURCE,
  provenance,
} from '../../shared/provenance.js';
import { capped } from '../../shared/ranking.js';
import { HAS_FIGURES_DESCRIPTION, indexInputDescription } from '../../shared/schema.js';
import type { CommerceContext } from '../context.js';
import { Money, money } from '../money/money.js';
import { RegionCommerce } from '../region/region-commerce.types.js';
import { Region } from '../region/region.reference.js';
import { VillageCommerce } from '../village/village-commerce.resolver.js';
import { Village } from '../village/village.reference.js';

/**
 * Commerce's part of the digital-village index (README: "Digital-village index"): the
 * reference year shared by all domains and the caps that score 1 — two active online stores
 * per rural village, and 1,000,000 yuan of online revenue per rural village in the year
 * (Zhejiang's seeded averages are about 0.6 stores and 200,000 yuan).
 */
export const COMMERCE_INDEX = {
  year: 2020,
  from: '2020-01',
  to: '2020-12',
  storesPerVillageCap: 2,
  revenueFenPerVillageCap: 100_000_000n,
} as const;

@ObjectType({
  description:
    "Commerce's normalised components of the digital-village index for a village or region " +
    '(0 to 1, rounded to 4 decimals), computed from its own data for the reference year.',
})
export class CommerceIndexComponents {
  @Field(() => ID, { description: 'Code of the village or region.' })
  code!: string;

  @Field(() => Int, { description: 'Reference year of the revenue figure.' })
  year!: number;

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

  @Field({ description: HAS_FIGURES_DESCRIPTION })
  hasFigures!: boolean;

  @Field(() => Provenance, { description: 'Where the components come from.' })
  provenance!: Provenance;
}

async function components(
  ctx: CommerceContext,
  code: string,
  villages: number,
): Promise<CommerceIndexComponents> {
  const [row, sales] = await Promise.all([
    ctx.loaders.rollups.region.load(code),
    ctx.loaders.rollups.regionSales.load({
      code,
      from: COMMERCE_INDEX.from,
      to: COMMERCE_INDEX.to,
    }),
  ]);
  const stores = villages > 0 ? (row?.storeCount ?? 0) / villages : 0;
  const revenuePerVillage = villages > 0 ? sales.revenueFen / BigInt(villages) : 0n;
  return Object.assign(new CommerceIndexComponents(), {
    code,
    year: COMMERCE_INDEX.year,
    stores: capped(stores / COMMERCE_INDEX.storesPerVillageCap),
    // fen / cap (both integers below 2^53 per village) as a ratio; the amount stays exact.
    onlineRevenue: capped(
      Number(revenuePerVillage) / Number(COMMERCE_INDEX.revenueFenPerVillageCap),
    ),
    storesPerVillage: Math.round(stores * 100) / 100,
    revenuePerVillage: money(revenuePerVillage),
    // A region has figures where commerce holds a rollup; a village always (0 stores is a count).
    hasFigures: code.length === 12 || row !== null,
    provenance: provenance(
      ProvenanceKind.SYNTHETIC,
      SYNTHETIC_SOURCE,
      String(COMMERCE_INDEX.year),
      `Computed from the store and ${COMMERCE_INDEX.year} sales rollups, sums of mostly synthetic records.`,
    ),
  });
}

@Resolver(() => RegionCommerce)
export class RegionCommerceIndexResolver {
  @FieldResolver(() => CommerceIndexComponents, {
    description:
      "Commerce's components of the digital-village index, from the rollup tables (per rural " +
      'village: the count comes from the places subgraph).',
  })
  indexComponents(
    @Root() view: RegionCommerce,
    @Ctx() ctx: CommerceContext,
  ): Promise<CommerceIndexComponents> {
    return components(ctx, view.code, view.ruralVillageCount ?? 0);
  }
}

@Resolver(() => VillageCommerce)
export class VillageCommerceIndexResolver {
  @FieldResolver(() => CommerceIndexComponents, {
    description: "Commerce's components of the digital-village index for this village.",
  })
  indexComponents(
    @Root() view: VillageCommerce,
    @Ctx() ctx: CommerceContext,
  ): Promise<CommerceIndexComponents> {
    return components(ctx, view.villageCode, 1);
  }
}

/**
 * The index inputs places requires: the view's components (a region's only where commerce holds
 * a rollup for it; zeros with `hasFigures: false` otherwise).
 */
@Resolver(() => Region)
export class RegionCommerceIndexInputResolver {
  @Directive('@inaccessible')
  @Directive('@requires(fields: "ruralVillageCount")')
  @FieldResolver(() => CommerceIndexComponents, { description: indexInputDescription('Commerce') })
  commerceIndexInput(
    @Root() region: Region,
    @Ctx() ctx: CommerceContext,
  ): Promise<CommerceIndexComponents> {
    return components(ctx, region.code, region.ruralVillageCount ?? 0);
  }
}

@Resolver(() => Village)
export class VillageCommerceIndexInputResolver {
  @Directive('@inaccessible')
  @FieldResolver(() => CommerceIndexComponents, { description: indexInputDescription('Commerce') })
  commerceIndexInput(
    @Root() village: Village,
    @Ctx() ctx: CommerceContext,
  ): Promise<CommerceIndexComponents> {
    return components(ctx, village.code, 1);
  }
}
