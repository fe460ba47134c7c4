import { Field, Float, Int, ObjectType, Resolver } from 'type-graphql';
import {
  Provenance,
  ProvenanceKind,
  SYNTHETIC_SOURCE,
  provenance,
} from '../../shared/provenance.js';
import { assertMonthRange } from '../auditorium/auditorium.resolver.js';
import type { CultureContext } from '../context.js';
import { shareOf } from '../../shared/ratios.js';
import { Region, type ChildCount } from './region.reference.js';
import { ROLLUP_AS_OF, SYNTHETIC_ROLLUP_NOTE } from '../rollup/rollup.rebuild.js';
import { MonthSpan } from '../../shared/months.js';
import { UsageFigures, usageFigures } from './region-usage.figures.js';
import { MonthRangeField } from '../../shared/months.js';
import { REGION_COUNTS, regionViewResolver } from '../../shared/references.js';
import { requiredInput } from '../../shared/errors.js';

const REGION_CODE = /^(\d{2}|\d{4}|\d{6}|\d{9})$/;

@ObjectType({ description: 'Usage totals of the auditoriums of a region over a month range.' })
export class RegionUsageTotals extends UsageFigures(
  MonthSpan,
  'Auditorium-months with a usage report.',
) {
  regionCode!: string;

  @Field(() => Provenance, { description: 'Where these totals come from.' })
  provenance!: Provenance;
}

@ObjectType({
  description: "The culture subgraph's figures for a region, read from precomputed rollups.",
})
export class RegionCulture {
  regionCode!: string;

  /**
   * The child regions with their rural village counts (from places), for rankings; null when
   * they were not sent (a ranking then fails rather than answer an empty list).
   */
  children!: ChildCount[] | null;

  @Field(() => Int, { description: 'Village culture auditoriums in the region.' })
  auditoriumCount!: number;

  @Field(() => Int, { description: 'Rural villages served by an auditorium.' })
  ruralVillagesCovered!: number;

  @Field(() => Int, {
    description:
      'Auditoriums that also act as hubs of digital public services, counted from the auditorium records (see the provenance note).',
  })
  digitalServiceHubCount!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Rural villages in the region (from the places subgraph).',
  })
  ruralVillageCount!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Share of rural villages served by an auditorium (0 to 1, rounded to 4 decimals, an exact half up); null when the region has none.',
  })
  coverage!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'The coverage share as a percentage rounded to one decimal (e.g. 91.3).',
  })
  coveragePercent!: number | null;

  @Field(() => Provenance, {
    description: 'Where the auditorium count and coverage come from.',
  })
  provenance!: Provenance;
}

export const EMPTY_PROVENANCE = provenance(
  ProvenanceKind.SYNTHETIC,
  SYNTHETIC_SOURCE,
  ROLLUP_AS_OF,
  SYNTHETIC_ROLLUP_NOTE,
);

export const USAGE_PROVENANCE = provenance(
  ProvenanceKind.SYNTHETIC,
  SYNTHETIC_SOURCE,
  null,
  'Sums of monthly usage reports and events: the seeded figures are synthetic; reports made ' +
    'through reportAuditoriumUsage and recordAuditoriumEvent are included as reported.',
);

/** Share of rural villages served by an auditorium; null when the region has none. */
export function coverageShare(covered: number, rural: number | null | undefined): number | null {
  return shareOf(covered, rural ?? 0);
}

/** The same share as a percentage with one decimal, from the counts (shareOf rounds halves up). */
export function coveragePercent(covered: number, rural: number | null | undefined): number | null {
  return shareOf(covered * 100, rural ?? 0, 1);
}

/** Culture's view of a region (`Region.culture`); null for a code that is not a region's. */
export async function regionCulture(
  region: Region,
  ctx: CultureContext,
): Promise<RegionCulture | null> {
  if (!REGION_CODE.test(region.code)) return null;
  const rollup = await ctx.loaders.regionRollup.load(region.code);
  const covered = rollup?.ruralVillagesCovered ?? 0;
  const rural = requiredInput(region.ruralVillageCount);
  const coverage = coverageShare(covered, rural);
  return Object.assign(new RegionCulture(), {
    regionCode: region.code,
    children: region.children ?? null,
    auditoriumCount: rollup?.auditoriumCount ?? 0,
    ruralVillagesCovered: covered,
    digitalServiceHubCount: rollup?.digitalServiceHubCount ?? 0,
    ruralVillageCount: rural,
    coverage,
    coveragePercent: coveragePercent(covered, rural),
    provenance: rollup?.provenance ?? EMPTY_PROVENANCE,
  });
}

export const RegionCultureFieldResolver = regionViewResolver(
  Region,
  RegionCulture,
  {
    name: 'culture',
    description:
      'Village culture auditoriums of the region: count, rural-village coverage and usage.',
    // The children's counts serve `childRanking(by: COVERAGE)`: culture has no division table.
    requires: REGION_COUNTS,
  },
  regionCulture,
);

@Resolver(() => RegionCulture)
export class RegionCultureResolver {
  @MonthRangeField(
    () => RegionUsageTotals,
    'Usage totals from `from` to `to` (YYYY-MM, at most 120 months).',
  )
  async usage(
    view: RegionCulture,
    ctx: CultureContext,
    from: string,
    to: string,
  ): Promise<RegionUsageTotals> {
    assertMonthRange(from, to);
    const s = await ctx.loaders.regionUsage.load({ regionCode: view.regionCode, from, to });
    return Object.assign(new RegionUsageTotals(), {
      regionCode: view.regionCode,
      from,
      to,
      ...usageFigures(s),
      provenance: USAGE_PROVENANCE,
    });
  }
}
