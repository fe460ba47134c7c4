import { Ctx, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import type { CultureContext } from '../context.js';
import { UsageFigures, usageFigures } from './region-usage.figures.js';
import { RegionUsageTotals } from './region-culture.resolver.js';
import { ZERO_USAGE_SUMS } from '../rollup/usage-sums.js';
import { eachMonth, monthsBetween, OneMonth } from '../../shared/months.js';

@ObjectType({ description: 'Usage of the auditoriums of a region in one month.' })
export class RegionUsageMonth extends UsageFigures(
  OneMonth,
  'Auditoriums with a usage report that month.',
) {}

@Resolver(() => RegionUsageTotals)
export class RegionUsageTrendResolver {
  @FieldResolver(() => [RegionUsageMonth], {
    description:
      'The same figures month by month: every month of the range, in order, zero when ' +
      'nothing was reported (one rollup query for all regions of a request).',
  })
  async months(
    @Root() totals: RegionUsageTotals,
    @Ctx() ctx: CultureContext,
  ): Promise<RegionUsageMonth[]> {
    const rows = await ctx.loaders.regionUsageMonths.load({
      regionCode: totals.regionCode,
      from: totals.from,
      to: totals.to,
    });
    return eachMonth(monthsBetween(totals.from, totals.to), rows, (month, row) =>
      Object.assign(new RegionUsageMonth(), { month, ...usageFigures(row ?? ZERO_USAGE_SUMS) }),
    );
  }
}
