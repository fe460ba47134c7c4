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
import type { HealthcareContext } from '../context.js';
import { RegionHealthcare } from '../region/region-healthcare.resolver.js';
import { Region } from '../region/region.reference.js';
import { VillageHealthcare } from '../village/village-healthcare.resolver.js';
import { Village } from '../village/village.reference.js';

/**
 * Healthcare's part of the digital-village index (README: "Digital-village index"): the
 * reference year shared by all domains, the travel time that counts as access, and the
 * assisted bookings per rural village and month that score 1 (the seeded average is ~17).
 */
export const HEALTHCARE_INDEX = {
  year: 2020,
  from: '2020-01',
  to: '2020-12',
  months: 12,
  accessMinutes: 30,
  referenceBookingsPerVillageMonth: 30,
} as const;

@ObjectType({
  description:
    "Healthcare's normalised components of the digital-village index for a village or region " +
    '(0 to 1, rounded to 4 decimals), computed from its own data for the reference year.',
})
export class HealthcareIndexComponents {
  @Field(() => ID, { description: 'Code of the village or region.' })
  code!: string;

  @Field(() => Int, { description: 'Reference year of the booking figures.' })
  year!: number;

  @Field(() => Float, {
    description:
      'Access: share of rural villages whose nearest clinic is at most 30 minutes away (for a ' +
      'village: 1 or 0; 0 without access measures).',
  })
  clinicAccess!: number;

  @Field(() => Float, {
    description:
      'Assisted bookings per rural village and month in the reference year ÷ 30, capped at 1.',
  })
  assistedBookings!: number;

  @Field(() => Float, {
    description: 'The assisted bookings per rural village and month (1 decimal).',
  })
  bookingsPerVillageMonth!: number;

  @Field({ description: HAS_FIGURES_DESCRIPTION })
  hasFigures!: boolean;

  @Field(() => Provenance, { description: 'Where the components come from.' })
  provenance!: Provenance;
}

const NO_BOOKINGS = { total: 0, pointMonths: 0, reportedPointMonths: 0 };

function components(
  code: string,
  villages: number,
  villagesWithAccess: number,
  bookings: { total: number; pointMonths: number; reportedPointMonths: number },
  hasFigures = true,
): HealthcareIndexComponents {
  const perVillageMonth = villages > 0 ? bookings.total / villages / HEALTHCARE_INDEX.months : 0;
  const reported =
    bookings.reportedPointMonths > 0
      ? ` ${bookings.reportedPointMonths} of ${bookings.pointMonths} point-months were reported by data stewards.`
      : '';
  return Object.assign(new HealthcareIndexComponents(), {
    code,
    year: HEALTHCARE_INDEX.year,
    clinicAccess: villages > 0 ? capped(villagesWithAccess / villages) : 0,
    assistedBookings: capped(perVillageMonth / HEALTHCARE_INDEX.referenceBookingsPerVillageMonth),
    bookingsPerVillageMonth: Math.round(perVillageMonth * 10) / 10,
    hasFigures,
    // Travel times are always synthetic, so the components are too.
    provenance: provenance(
      ProvenanceKind.SYNTHETIC,
      SYNTHETIC_SOURCE,
      String(HEALTHCARE_INDEX.year),
      `Computed from synthetic travel times and ${HEALTHCARE_INDEX.year} assisted bookings.${reported}`,
    ),
  });
}

const YEAR_RANGE = { from: HEALTHCARE_INDEX.from, to: HEALTHCARE_INDEX.to };

@Resolver(() => RegionHealthcare)
export class RegionHealthcareIndexResolver {
  @FieldResolver(() => HealthcareIndexComponents, {
    description: "Healthcare's components of the digital-village index, from the rollup tables.",
  })
  async indexComponents(
    @Root() { rollup }: RegionHealthcare,
    @Ctx() ctx: HealthcareContext,
  ): Promise<HealthcareIndexComponents> {
    const months = await ctx.loaders.bookingsByRegion(YEAR_RANGE).load(rollup.regionCode);
    const bookings = months.reduce(
      (acc, m) => ({
        total: acc.total + m.doctorAppointments + m.testResults + m.insurance,
        pointMonths: acc.pointMonths + m.pointMonths,
        reportedPointMonths: acc.reportedPointMonths + m.reportedPointMonths,
      }),
      { total: 0, pointMonths: 0, reportedPointMonths: 0 },
    );
    return components(rollup.regionCode, rollup.villageCount, rollup.villagesClinic30, bookings);
  }
}

@Resolver(() => VillageHealthcare)
export class VillageHealthcareIndexResolver {
  @FieldResolver(() => HealthcareIndexComponents, {
    description: "Healthcare's components of the digital-village index for this village.",
  })
  async indexComponents(
    @Root() view: VillageHealthcare,
    @Ctx() ctx: HealthcareContext,
  ): Promise<HealthcareIndexComponents> {
    const bookings = await ctx.loaders.bookingsByVillage(YEAR_RANGE).load(view.villageCode);
    const minutes = view.access.clinicMinutes;
    const within = minutes !== null && minutes <= HEALTHCARE_INDEX.accessMinutes ? 1 : 0;
    return components(view.villageCode, 1, within, bookings);
  }
}

/**
 * The index inputs places requires: the view's components where healthcare holds data for the
 * place, zeros with `hasFigures: false` where it does not (the view is then null).
 */
@Resolver(() => Region)
export class RegionHealthcareIndexInputResolver {
  @Directive('@inaccessible')
  @FieldResolver(() => HealthcareIndexComponents, {
    description: indexInputDescription('Healthcare'),
  })
  async healthcareIndexInput(
    @Root() region: Region,
    @Ctx() ctx: HealthcareContext,
  ): Promise<HealthcareIndexComponents> {
    const rollup = await ctx.loaders.rollupByRegion.load(region.code);
    if (!rollup) return components(region.code, 0, 0, NO_BOOKINGS, false);
    const view = Object.assign(new RegionHealthcare(), { rollup });
    return new RegionHealthcareIndexResolver().indexComponents(view, ctx);
  }
}

@Resolver(() => Village)
export class VillageHealthcareIndexInputResolver {
  @Directive('@inaccessible')
  @FieldResolver(() => HealthcareIndexComponents, {
    description: indexInputDescription('Healthcare'),
  })
  async healthcareIndexInput(
    @Root() village: Village,
    @Ctx() ctx: HealthcareContext,
  ): Promise<HealthcareIndexComponents> {
    const access = await ctx.loaders.accessByVillage.load(village.code);
    if (!access) return components(village.code, 0, 0, NO_BOOKINGS, false);
    const view = Object.assign(new VillageHealthcare(), { villageCode: village.code, access });
    return new VillageHealthcareIndexResolver().indexComponents(view, ctx);
  }
}
