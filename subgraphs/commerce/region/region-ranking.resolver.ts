import { Arg, Resolver } from 'type-graphql';
import { pageSize, FirstArg } from '../../shared/pagination.js';
import { badUserInput, requiredInput } from '../../shared/errors.js';
import { RankingField, ranked, rankingRange } from '../../shared/ranking.js';
import type { CommerceContext } from '../context.js';
import { money } from '../money/money.js';
import type { ChildRow } from '../rollup/rollup.loaders.js';
import { Platform, ProductCategory } from '../store/store.entity.js';
import {
  COMPUTED_PROVENANCE,
  CommerceMetric,
  CommerceRankEntry,
  RegionCommerce,
} from './region-commerce.types.js';
import { regionStub } from './region.reference.js';

const SALES_METRICS: CommerceMetric[] = [CommerceMetric.ONLINE_REVENUE, CommerceMetric.ORDERS];
const FILTERABLE: CommerceMetric[] = [CommerceMetric.STORE_COUNT, CommerceMetric.JOBS];

/** `RegionCommerce.childRanking`: child regions ranked by one of commerce's figures. */
@Resolver(() => RegionCommerce)
export class RegionCommerceRankingResolver {
  @RankingField(
    () => CommerceRankEntry,
    'Child regions (code one level longer) ranked by a figure, highest first. Empty for a township: villages are not regions.',
    { by: CommerceMetric, monthsFor: 'ONLINE_REVENUE and ORDERS' },
  )
  async childRanking(
    view: RegionCommerce,
    ctx: CommerceContext,
    by: CommerceMetric,
    from?: string,
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
    @FirstArg('How many')
    first?: number,
  ): Promise<CommerceRankEntry[]> {
    const limit = pageSize(first);
    const range = rankingRange(by, SALES_METRICS.includes(by), from, to, { bounded: false });
    if ((platform || category) && !FILTERABLE.includes(by)) {
      throw badUserInput(
        'platform and category filter only STORE_COUNT and JOBS.',
        platform ? 'platform' : 'category',
      );
    }
    if (view.code.length >= 9) return [];
    // Every child region places lists: one without any commerce record has no rollup row (it
    // was left out of the ranking, as if the region did not exist) and ranks with zeros.
    const codes = requiredInput(view.children).map((c) => c.code);
    const rows = await ctx.loaders.rollups.children.load({
      parent: view.code,
      from: range?.from ?? null,
      to: range?.to ?? null,
      platform: platform ?? null,
      category: category ?? null,
    });
    const byCode = new Map(rows.map((c) => [c.regionCode, c]));
    const valued = codes.map((code) => {
      const c = byCode.get(code);
      return { c, code, value: c ? metricValue(by, c) : 0n };
    });
    return ranked(valued, limit, ({ c, code, value }, rank) =>
      Object.assign(new CommerceRankEntry(), {
        rank,
        region: regionStub(code),
        count: by === CommerceMetric.ONLINE_REVENUE ? null : Number(value),
        revenue: by === CommerceMetric.ONLINE_REVENUE ? money(value) : null,
        provenance: c && FILTERABLE.includes(by) ? c.region.provenance : COMPUTED_PROVENANCE,
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
