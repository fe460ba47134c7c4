import { Field, Float, Int, ObjectType, Resolver } from 'type-graphql';
import { requiredInput } from '../../shared/errors.js';
import { loadAll } from '../../shared/loaders.js';
import { pageSize, FirstArg } from '../../shared/pagination.js';
import { RankEntry, RankingField, ranked, rankingRange } from '../../shared/ranking.js';
import type { CultureContext } from '../context.js';
import {
  EMPTY_PROVENANCE,
  RegionCulture,
  USAGE_PROVENANCE,
  coverageShare,
} from './region-culture.resolver.js';
import type { UsageSums } from '../rollup/usage-sums.js';
import { Region } from './region.reference.js';
import { describedEnum, type EnumValue } from '../../shared/enums.js';

export const CultureMetric = describedEnum(
  'CultureMetric',
  'A culture figure child regions can be ranked by.',
  {
    COVERAGE: 'Share of rural villages served by an auditorium.',
    AUDITORIUM_COUNT: 'Village culture auditoriums.',
    RURAL_VILLAGES_COVERED: 'Rural villages served by an auditorium.',
    DIGITAL_SERVICE_HUB_COUNT: 'Auditoriums acting as digital service hubs.',
    VISITS: 'Visits to auditoriums over a month range.',
    RESOURCE_VIEWS: 'Views of digital resources over a month range.',
    ASSISTED_SESSIONS: 'Assisted online-service sessions over a month range.',
    EVENTS: 'Events held over a month range.',
    EVENT_ATTENDANCE: 'People attending events over a month range.',
  },
);
export type CultureMetric = EnumValue<typeof CultureMetric>;

/** Metrics read from the monthly usage rollup, which need a month range. */
const USAGE_METRICS: Partial<Record<CultureMetric, (s: UsageSums) => number>> = {
  VISITS: (s) => s.visits,
  RESOURCE_VIEWS: (s) => s.resourceViews,
  ASSISTED_SESSIONS: (s) =>
    s.medicalAppointmentSessions +
    s.socialInsuranceSessions +
    s.eGovernmentSessions +
    s.otherAssistedSessions,
  EVENTS: (s) => s.events,
  EVENT_ATTENDANCE: (s) => s.eventAttendance,
};

@ObjectType({ description: 'A child region ranked by a culture figure.' })
export class CultureRankEntry extends RankEntry(Region) {
  @Field(() => Float, {
    nullable: true,
    description:
      'The figure ranked by: a share from 0 to 1 for COVERAGE (null when the region has no ' +
      'rural village), a count otherwise.',
  })
  value!: number | null;

  @Field(() => Int, { description: 'Auditoriums in the child region.' })
  auditoriumCount!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Its coverage share (0 to 1, rounded to 4 decimals, an exact half up); null when it has no rural village.',
  })
  coverage!: number | null;
}

@Resolver(() => RegionCulture)
export class RegionCultureRankingResolver {
  @RankingField(
    () => CultureRankEntry,
    'Child regions (one level down) ranked by a culture figure, highest first, from the ' +
      'rollup tables. Empty for a township: villages are not regions.',
    {
      by: CultureMetric,
      monthsFor: `the usage figures (${Object.keys(USAGE_METRICS).join(', ')})`,
    },
  )
  async childRanking(
    view: RegionCulture,
    ctx: CultureContext,
    by: CultureMetric,
    from?: string,
    to?: string,
    @FirstArg('How many')
    first?: number,
  ): Promise<CultureRankEntry[]> {
    const limit = pageSize(first);
    const usageOf = USAGE_METRICS[by];
    rankingRange(by, usageOf !== undefined, from, to);
    const children = requiredInput(view.children);
    const codes = children.map((c) => c.code);
    // One IN query on each rollup table for every ranking of the request (DataLoaders).
    const [rollups, usage] = await Promise.all([
      loadAll(ctx.loaders.regionRollup, codes),
      usageOf
        ? loadAll(
            ctx.loaders.regionUsage,
            codes.map((regionCode) => ({ regionCode, from: from!, to: to! })),
          )
        : Promise.resolve([]),
    ]);
    const rows = children.map((child, i) => {
      const r = rollups[i];
      const covered = r?.ruralVillagesCovered ?? 0;
      const coverage = coverageShare(covered, child.ruralVillageCount);
      const sums = usage[i];
      let value: number | null;
      if (usageOf) value = sums ? usageOf(sums) : 0;
      else if (by === CultureMetric.COVERAGE) value = coverage;
      else if (by === CultureMetric.AUDITORIUM_COUNT) value = r?.auditoriumCount ?? 0;
      else if (by === CultureMetric.RURAL_VILLAGES_COVERED) value = covered;
      else value = r?.digitalServiceHubCount ?? 0;
      return {
        code: child.code,
        value,
        auditoriumCount: r?.auditoriumCount ?? 0,
        coverage,
        provenance: usageOf ? USAGE_PROVENANCE : (r?.provenance ?? EMPTY_PROVENANCE),
      };
    });
    return ranked(rows, limit, (row, rank) =>
      Object.assign(new CultureRankEntry(), {
        rank,
        region: Object.assign(new Region(), { code: row.code }),
        value: row.value,
        auditoriumCount: row.auditoriumCount,
        coverage: row.coverage,
        provenance: row.provenance,
      }),
    );
  }
}
