import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { CommerceContext } from '../context.js';
import { Platform, ProductCategory } from '../store/store.entity.js';
import {
  COMPUTED_PROVENANCE,
  CategoryStoreCount,
  CommerceCount,
  PlatformStoreCount,
  RegionCommerce,
  RegionStoreCounts,
} from './region-commerce.types.js';
import { Region } from './region.reference.js';
import { onlineSalesResolver } from './sales-figure.js';
import { REGION_COUNTS, regionViewResolver } from '../../shared/references.js';

function count(value: number, provenance = COMPUTED_PROVENANCE): CommerceCount {
  return Object.assign(new CommerceCount(), { count: value, provenance });
}

export const RegionCommerceFieldResolver = regionViewResolver(
  Region,
  RegionCommerce,
  {
    name: 'commerce',
    description:
      'Rural e-commerce in the region (precomputed rollups); null when commerce holds no record in it (no store, enterprise, park, service point or workshop).',
    // The same set culture's view requires (see REGION_COUNTS): the children rank.
    requires: REGION_COUNTS,
  },
  async (region, ctx: CommerceContext) => {
    const row = await ctx.loaders.rollups.region.load(region.code);
    if (!row) return null;
    return Object.assign(new RegionCommerce(), {
      code: region.code,
      ruralVillageCount: region.ruralVillageCount ?? null,
      children: region.children ?? null,
    });
  },
);

@Resolver(() => RegionCommerce)
export class RegionCommerceResolver {
  @FieldResolver(() => RegionStoreCounts, { description: 'Active online stores.' })
  async stores(@Root() view: RegionCommerce, @Ctx() ctx: CommerceContext) {
    const [row, cells] = await Promise.all([
      ctx.loaders.rollups.region.load(view.code),
      ctx.loaders.rollups.regionStores.load(view.code),
    ]);
    const byPlatform = new Map<Platform, PlatformStoreCount>();
    const byCategory = new Map<ProductCategory, CategoryStoreCount>();
    for (const c of cells) {
      const p = byPlatform.get(c.platform) ?? { platform: c.platform, count: 0, jobs: 0 };
      const k = byCategory.get(c.category) ?? { category: c.category, count: 0, jobs: 0 };
      p.count += c.storeCount;
      p.jobs += c.jobs;
      k.count += c.storeCount;
      k.jobs += c.jobs;
      byPlatform.set(c.platform, p);
      byCategory.set(c.category, k);
    }
    return Object.assign(new RegionStoreCounts(), {
      total: row!.storeCount,
      byPlatform: Object.values(Platform).flatMap((p) => byPlatform.get(p) ?? []),
      byCategory: Object.values(ProductCategory).flatMap((c) => byCategory.get(c) ?? []),
      provenance: row!.provenance,
    });
  }

  @FieldResolver(() => CommerceCount, { description: 'Jobs provided by active online stores.' })
  async jobs(@Root() view: RegionCommerce, @Ctx() ctx: CommerceContext) {
    const row = await ctx.loaders.rollups.region.load(view.code);
    return count(row!.jobs, row!.provenance);
  }

  @FieldResolver(() => CommerceCount, { description: 'Enterprises selling online.' })
  async enterprises(@Root() view: RegionCommerce, @Ctx() ctx: CommerceContext) {
    return count((await ctx.loaders.rollups.region.load(view.code))!.enterpriseCount);
  }

  @FieldResolver(() => CommerceCount, { description: 'E-commerce industrial parks.' })
  async parks(@Root() view: RegionCommerce, @Ctx() ctx: CommerceContext) {
    return count((await ctx.loaders.rollups.region.load(view.code))!.parkCount);
  }

  @FieldResolver(() => CommerceCount, { description: 'Jobs in e-commerce industrial parks.' })
  async parkJobs(@Root() view: RegionCommerce, @Ctx() ctx: CommerceContext) {
    return count((await ctx.loaders.rollups.region.load(view.code))!.parkJobs);
  }

  @FieldResolver(() => CommerceCount, { description: 'Village e-commerce service points.' })
  async servicePoints(@Root() view: RegionCommerce, @Ctx() ctx: CommerceContext) {
    return count((await ctx.loaders.rollups.region.load(view.code))!.servicePointCount);
  }
}

export const RegionSalesResolver = onlineSalesResolver(RegionCommerce, (view) => view.code);
