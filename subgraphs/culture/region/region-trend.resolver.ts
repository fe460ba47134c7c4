import { SafeIntResolver } from 'graphql-scalars';
import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import type { CultureContext } from '../context.js';
import { AssistedSessions, assistedSessions } from '../usage/auditorium-usage.entity.js';
import { RegionUsageTotals } from './region-culture.resolver.js';
import { ZERO_USAGE_SUMS } from '../rollup/usage-sums.js';
import { MonthField } from '../../shared/arguments.js';
import { monthsBetween } from '../../shared/months.js';

@ObjectType({ description: 'Usage of the auditoriums of a region in one month.' })
export class RegionUsageMonth {
  @MonthField('month')
  month!: string;

  @Field(() => SafeIntResolver, { description: 'Auditoriums with a usage report that month.' })
  reports!: number;

  @Field(() => SafeIntResolver, { description: 'Visits to auditoriums.' })
  visits!: number;

  @Field(() => SafeIntResolver, { description: 'Views or plays of digital resources.' })
  resourceViews!: number;

  @Field(() => AssistedSessions, { description: 'Assisted online-service sessions by kind.' })
  assistedSessions!: AssistedSessions;

  @Field(() => SafeIntResolver, { description: 'Events held.' })
  events!: number;

  @Field(() => SafeIntResolver, { description: 'People attending those events.' })
  eventAttendance!: number;
}

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
    const byMonth = new Map(rows.map((r) => [r.month, r]));
    return monthsBetween(totals.from, totals.to).map((month) => {
      const s = byMonth.get(month) ?? { month, ...ZERO_USAGE_SUMS };
      return Object.assign(new RegionUsageMonth(), {
        month,
        reports: s.reports,
        visits: s.visits,
        resourceViews: s.resourceViews,
        assistedSessions: assistedSessions({
          medicalAppointment: s.medicalAppointmentSessions,
          socialInsurance: s.socialInsuranceSessions,
          eGovernment: s.eGovernmentSessions,
          other: s.otherAssistedSessions,
        }),
        events: s.events,
        eventAttendance: s.eventAttendance,
      });
    });
  }
}
