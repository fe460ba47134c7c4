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
import type { CultureContext } from '../context.js';
import { RegionCulture, RegionCultureFieldResolver } from '../region/region-culture.resolver.js';
import { Region } from '../region/region.reference.js';
import type { RegionUsageSums } from '../rollup/rollup.loaders.js';
import { VillageCulture } from '../village/village-culture.resolver.js';
import { Village } from '../village/village.reference.js';

/**
 * Culture's part of the digital-village index (README: "Digital-village index"). The year is
 * the latest for which all three domains hold data; the reference is the monthly visits per
 * auditorium that scores 1 (the calibrated data average about 425).
 */
export const CULTURE_INDEX = {
  year: 2020,
  from: '2020-01',
  to: '2020-12',
  referenceVisitsPerAuditoriumMonth: 600,
} as const;

@ObjectType({
  description:
    "Culture's normalised components of the digital-village index for a village or region " +
    '(0 to 1, rounded to 4 decimals), computed from its own data for the reference year.',
})
export class CultureIndexComponents {
  @Field(() => ID, { description: 'Code of the village or region.' })
  code!: string;

  @Field(() => Int, { description: 'Reference year of the usage figures.' })
  year!: number;

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

  @Field({ description: HAS_FIGURES_DESCRIPTION })
  hasFigures!: boolean;

  @Field(() => Provenance, { description: 'Where the components come from.' })
  provenance!: Provenance;
}

function components(
  code: string,
  coverage: number,
  usage: Pick<RegionUsageSums, 'reports' | 'visits'>,
  inputs: string,
): CultureIndexComponents {
  const perMonth = usage.reports > 0 ? usage.visits / usage.reports : null;
  const scores = {
    coverage: capped(coverage),
    usage: capped((perMonth ?? 0) / CULTURE_INDEX.referenceVisitsPerAuditoriumMonth),
  };
  return Object.assign(new CultureIndexComponents(), {
    code,
    year: CULTURE_INDEX.year,
    ...scores,
    // Culture answers every place; it has figures where it counted coverage or usage.
    hasFigures: scores.coverage > 0 || scores.usage > 0,
    visitsPerAuditoriumMonth: perMonth === null ? null : Math.round(perMonth * 10) / 10,
    // Usage sums are always labelled synthetic (see README: Provenance of region figures).
    provenance: provenance(
      ProvenanceKind.SYNTHETIC,
      SYNTHETIC_SOURCE,
      String(CULTURE_INDEX.year),
      `Computed from ${inputs} and the ${CULTURE_INDEX.year} usage reports, which are synthetic.`,
    ),
  });
}

const YEAR_RANGE = { from: CULTURE_INDEX.from, to: CULTURE_INDEX.to };

const NO_USAGE = { visits: 0, reports: 0 };

@Resolver(() => RegionCulture)
export class RegionCultureIndexResolver {
  @FieldResolver(() => CultureIndexComponents, {
    description: "Culture's components of the digital-village index, from the rollup tables.",
  })
  async indexComponents(
    @Root() view: RegionCulture,
    @Ctx() ctx: CultureContext,
  ): Promise<CultureIndexComponents> {
    const usage = await ctx.loaders.regionUsage.load({
      regionCode: view.regionCode,
      ...YEAR_RANGE,
    });
    return components(view.regionCode, view.coverage ?? 0, usage, 'the region rollups');
  }
}

@Resolver(() => VillageCulture)
export class VillageCultureIndexResolver {
  @FieldResolver(() => CultureIndexComponents, {
    description: "Culture's components of the digital-village index for this village.",
  })
  async indexComponents(
    @Root() view: VillageCulture,
    @Ctx() ctx: CultureContext,
  ): Promise<CultureIndexComponents> {
    const [auditorium, usage] = await Promise.all([
      ctx.loaders.auditoriumByVillage.load(view.villageCode),
      ctx.loaders.villageUsage.load({ regionCode: view.villageCode, ...YEAR_RANGE }),
    ]);
    return components(view.villageCode, auditorium ? 1 : 0, usage, "the village's auditorium");
  }
}

/** The index input places requires of a region: the view's components, or zeros. */
@Resolver(() => Region)
export class RegionCultureIndexInputResolver {
  @Directive('@inaccessible')
  @Directive('@requires(fields: "ruralVillageCount")')
  @FieldResolver(() => CultureIndexComponents, { description: indexInputDescription('Culture') })
  async cultureIndexInput(
    @Root() region: Region,
    @Ctx() ctx: CultureContext,
  ): Promise<CultureIndexComponents> {
    const view = await new RegionCultureFieldResolver().culture(region, ctx);
    if (!view) return components(region.code, 0, NO_USAGE, 'no culture data');
    return new RegionCultureIndexResolver().indexComponents(view, ctx);
  }
}

/** The index input places requires of a village. */
@Resolver(() => Village)
export class VillageCultureIndexInputResolver {
  @Directive('@inaccessible')
  @FieldResolver(() => CultureIndexComponents, { description: indexInputDescription('Culture') })
  cultureIndexInput(
    @Root() village: Village,
    @Ctx() ctx: CultureContext,
  ): Promise<CultureIndexComponents> {
    const view = Object.assign(new VillageCulture(), { villageCode: village.code });
    return new VillageCultureIndexResolver().indexComponents(view, ctx);
  }
}
