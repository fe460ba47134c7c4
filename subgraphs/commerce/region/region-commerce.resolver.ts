import { Arg, Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { badUserInput } from '../../shared/errors.js';
import { pageSize } from '../../shared/pagination.js';
import { byValueDesc } from '../../shared/ranking.js';
import type { CommerceContext } from '../context.js';
import { money } from '../money/money.js';
import type { ChildRow } from '../rollup/rollup.loaders.js';
import { monthRange } from '../sales/month.js';
import { Platform, ProductCategory } from '../store/store.entity.js';
import {
  COMPUTED_PROVENANCE,
  CategoryStoreCount,
  CommerceCount,
  CommerceMetric,
  CommerceRankEntry,
  PlatformStoreCount,
  RegionCommerce,
  RegionStoreCounts,
  SalesFigure,
} from './region-commerce.types.js';
import { Region, regionStub } from './region.reference.js';
import { RANKING_LIST_SIZE } from '../../shared/schema.js';

function count(value: number, provenance = COMPUTED_PROVENANCE): CommerceCount {
  return Object.assign(new CommerceCount(), { count: value, provenance });
}

/** Adds `Region.commerce`; null when no commerce data is loaded for the region. */
@Resolver(() => Region)
export class RegionCommerceFieldResolver {
  @Directive('@requires(fields: "ruralVillageCount")')
  @FieldResolver(() => RegionCommerce, {
    nullable: true,
    description:
      'Rural e-commerce in the region (precomputed rollups); null when no commerce data is loaded for it.',
  })
  async commerce(@Root() region: Region, @Ctx() ctx: CommerceContext) {
    const row = await ctx.loaders.rollups.region.load(region.code);
    if (!row) return null;
    return Object.assign(new RegionCommerce(), {
      code: region.code,
      ruralVillageCount: region.ruralVillageCount ?? null,
    });
  }
}

const SALES_METRICS = [CommerceMetric.ONLINE_REVENUE, CommerceMetric.ORDERS];
const FILTERABLE = [CommerceMetric.STORE_COUNT, CommerceMetric.JOBS];

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

  @FieldResolver(() => SalesFigure, { description: 'Online sales over an inclusive month range.' })
  async onlineSales(
    @Root() view: RegionCommerce,
    @Ctx() ctx: CommerceContext,
    @Arg('from', () => String, { description: 'First month, "YYYY-MM".' }) from: string,
    @Arg('to', () => String, { description: 'Last month, "YYYY-MM" (inclusive).' }) to: string,
  ) {
    const range = monthRange(from, to);
    const total = await ctx.loaders.rollups.regionSales.load({ code: view.code, ...range });
    return Object.assign(new SalesFigure(), {
      code: view.code,
      ...range,
      orders: Number(total.orders),
      revenue: money(total.revenueFen),
      provenance: COMPUTED_PROVENANCE,
    });
  }

  @Directive(RANKING_LIST_SIZE)
  // Demand control: each entry is a child region's figures aggregated from the rollups.
  @Directive('@cost(weight: 10)')
  @FieldResolver(() => [CommerceRankEntry], {
    description:
      'Child regions (code one level longer) ranked by a figure, highest first. Empty for a township: villages are not regions.',
  })
  async childRanking(
    @Root() view: RegionCommerce,
    @Ctx() ctx: CommerceContext,
    @Arg('by', () => CommerceMetric, { description: 'The figure to rank by.' }) by: CommerceMetric,
    @Arg('from', () => String, {
      nullable: true,
      description: 'First month for ONLINE_REVENUE / ORDERS, "YYYY-MM".',
    })
    from?: string,
    @Arg('to', () => String, {
      nullable: true,
      description: 'Last month for ONLINE_REVENUE / ORDERS, "YYYY-MM".',
    })
    to?: string,
    @Arg('platform', () => Platform, {
      nullable: true,
      description: 'Only stores on this platform (STORE_COUNT, JOBS).',
    })
    platform?: Platform,
    @Arg('category', () => ProductCategory, {
      nullable: true,
      description: 'Only stores in this category (STORE_COUNT, JOBS).',
    })
    category?: ProductCategory,
    @Arg('first', () => Int, { nullable: true, description: 'How many (default 20, at most 100).' })
    first?: number,
  ): Promise<CommerceRankEntry[]> {
    const limit = pageSize(first);
    const sales = SALES_METRICS.includes(by);
    if (sales && (!from || !to)) throw badUserInput(`${by} needs \`from\` and \`to\`.`, 'from');
    const range = sales ? monthRange(from!, to!) : null;
    if ((platform || category) && !FILTERABLE.includes(by)) {
      throw badUserInput('platform and category filter only STORE_COUNT and JOBS.', 'platform');
    }
    if (view.code.length >= 9) return [];
    const children = await ctx.loaders.rollups.children.load({
      parent: view.code,
      from: range?.from ?? null,
      to: range?.to ?? null,
      platform: platform ?? null,
      category: category ?? null,
    });
    const valued = children.map((c) => ({ c, code: c.regionCode, value: metricValue(by, c) }));
    valued.sort(byValueDesc);
    return valued.slice(0, limit).map(({ c, value }, i) =>
      Object.assign(new CommerceRankEntry(), {
        rank: i + 1,
        region: regionStub(c.regionCode),
        count: by === CommerceMetric.ONLINE_REVENUE ? null : Number(value),
        revenue: by === CommerceMetric.ONLINE_REVENUE ? money(value) : null,
        provenance: FILTERABLE.includes(by) ? c.region.provenance : COMPUTED_PROVENANCE,
      }),
    );
  }
}

function metricValue(by: CommerceMetric, c: ChildRow): bigint {
  switch (by) {
    case CommerceMetric.STORE_COUNT:
      return BigInt(c.filtered?.storeCount ?? c.region.storeCount);
    case CommerceMetric.JOBS:
      return BigInt(c.filtered?.jobs ?? c.region.jobs);
    case CommerceMetric.ONLINE_REVENUE:
      return c.sales!.revenueFen;
    case CommerceMetric.ORDERS:
      return c.sales!.orders;
    case CommerceMetric.ENTERPRISE_COUNT:
      return BigInt(c.region.enterpriseCount);
    case CommerceMetric.SERVICE_POINT_COUNT:
      return BigInt(c.region.servicePointCount);
  }
}
