import { Field, Float } from 'type-graphql';
import {
  INDEX_YEAR,
  IndexComponents,
  IndexComponentsType,
  indexFieldResolvers,
} from '../../shared/index-components.js';
import { componentOf, ratioOf } from '../../shared/ratios.js';
import { REGION_COUNTS } from '../../shared/references.js';
import type { CultureContext } from '../context.js';
import { RegionCulture, regionCulture } from '../region/region-culture.resolver.js';
import { Region } from '../region/region.reference.js';
import type { UsageSums } from '../rollup/usage-sums.js';
import { VillageCulture } from '../village/village-culture.resolver.js';
import { Village } from '../village/village.reference.js';

/**
 * Culture's part of the digital-village index (README: "Digital-village index"): the monthly
 * visits per auditorium that score 1 in the reference year (the calibrated data average about
 * 425).
 */
export const CULTURE_INDEX = { referenceVisitsPerAuditoriumMonth: 600 } as const;

@IndexComponentsType('Culture')
export class CultureIndexComponents extends IndexComponents {
  @Field(() => Float, {
    description:
      'Auditorium coverage: for a region, rural villages served by an auditorium ÷ rural ' +
      'villages (0 when it has none); for a village, 1 when an auditorium serves it, else 0.',
  })
  coverage!: number;

  @Field(() => Float, {
    description:
      'Auditorium usage: average monthly visits per reporting auditorium in the reference ' +
      'year ÷ 600, capped at 1 (0 without any report).',
  })
  usage!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'The average monthly visits per reporting auditorium (1 decimal); null without reports.',
  })
  visitsPerAuditoriumMonth!: number | null;
}

/** Rural villages covered of all (a village: 1 of 1 with an auditorium, 0 of 1 without). */
interface Coverage {
  covered: number;
  rural: number;
}

function components(
  code: string,
  coverage: Coverage,
  usage: Pick<UsageSums, 'reports' | 'visits'>,
  inputs: string,
  hasFigures: boolean,
): CultureIndexComponents {
  // From the counts, rounded once, an exact half up (not the published share, rounded again).
  const reference = CULTURE_INDEX.referenceVisitsPerAuditoriumMonth;
  const scores = {
    coverage: componentOf(coverage.covered, coverage.rural),
    usage: componentOf(usage.visits, usage.reports * reference),
  };
  return CultureIndexComponents.of(
    {
      code,
      ...scores,
      // Culture answers every place; it has figures where it holds auditoriums or usage reports
      // there, even if they round to 0 (one covered village of 30,000).
      hasFigures,
      visitsPerAuditoriumMonth: ratioOf(usage.visits, usage.reports, 1),
    },
    // Usage sums are always labelled synthetic (see README: Provenance of region figures).
    `Computed from ${inputs} and the ${INDEX_YEAR.year} usage reports, which are synthetic.`,
  );
}

const NO_USAGE = { visits: 0, reports: 0 };
const NO_COVERAGE: Coverage = { covered: 0, rural: 0 };

async function ofRegionView(view: RegionCulture, ctx: CultureContext) {
  const usage = await ctx.loaders.regionUsage.load({
    regionCode: view.regionCode,
    ...INDEX_YEAR.months,
  });
  return components(
    view.regionCode,
    { covered: view.ruralVillagesCovered, rural: view.ruralVillageCount ?? 0 },
    usage,
    'the region rollups',
    view.auditoriumCount > 0 || usage.reports > 0,
  );
}

async function ofVillageView(view: VillageCulture, ctx: CultureContext) {
  const [auditorium, usage] = await Promise.all([
    ctx.loaders.auditoriumByVillage.load(view.villageCode),
    ctx.loaders.villageUsage.load({ regionCode: view.villageCode, ...INDEX_YEAR.months }),
  ]);
  return components(
    view.villageCode,
    { covered: auditorium ? 1 : 0, rural: 1 },
    usage,
    "the village's auditorium",
    Boolean(auditorium) || usage.reports > 0,
  );
}

/** Culture's index fields; the inputs places requires are the views' components, or zeros. */
export const CULTURE_INDEX_RESOLVERS = indexFieldResolvers({
  domain: 'Culture',
  components: CultureIndexComponents,
  regionView: {
    type: RegionCulture,
    description: "Culture's components of the digital-village index, from the rollup tables.",
    compute: ofRegionView,
  },
  villageView: {
    type: VillageCulture,
    description: "Culture's components of the digital-village index for this village.",
    compute: ofVillageView,
  },
  region: {
    type: Region,
    requires: REGION_COUNTS,
    compute: async (region: Region, ctx: CultureContext) => {
      const view = await regionCulture(region, ctx);
      if (!view) return components(region.code, NO_COVERAGE, NO_USAGE, 'no culture data', false);
      return ofRegionView(view, ctx);
    },
  },
  village: {
    type: Village,
    compute: (village: Village, ctx: CultureContext) =>
      ofVillageView(Object.assign(new VillageCulture(), { villageCode: village.code }), ctx),
  },
});
