import { Field, Float } from 'type-graphql';
import {
  INDEX_YEAR,
  IndexComponents,
  IndexComponentsType,
  indexFieldResolvers,
} from '../../shared/index-components.js';
import { componentOf, ratioOf } from '../../shared/ratios.js';
import { REGION_COUNTS } from '../../shared/references.js';
import type { HealthcareContext } from '../context.js';
import { RegionHealthcare } from '../region/region-healthcare.resolver.js';
import { Region } from '../region/region.reference.js';
import { VillageHealthcare } from '../village/village-healthcare.resolver.js';
import { Village } from '../village/village.reference.js';

/**
 * Healthcare's part of the digital-village index (README: "Digital-village index"): the travel
 * time that counts as access, and the assisted bookings per rural village and month that score
 * 1 in the reference year (the seeded average is ~17).
 */
export const HEALTHCARE_INDEX = {
  months: 12,
  accessMinutes: 30,
  referenceBookingsPerVillageMonth: 30,
} as const;

@IndexComponentsType('Healthcare')
export class HealthcareIndexComponents extends IndexComponents {
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
}

interface Bookings {
  total: number;
  pointMonths: number;
  reportedPointMonths: number;
}

const NO_BOOKINGS: Bookings = { total: 0, pointMonths: 0, reportedPointMonths: 0 };

function components(
  code: string,
  villages: number,
  villagesWithAccess: number,
  bookings: Bookings,
  hasFigures = true,
): HealthcareIndexComponents {
  // From the counts, rounded once, an exact half up.
  const villageMonths = villages * HEALTHCARE_INDEX.months;
  const reference = HEALTHCARE_INDEX.referenceBookingsPerVillageMonth;
  const reported =
    bookings.reportedPointMonths > 0
      ? ` ${bookings.reportedPointMonths} of ${bookings.pointMonths} point-months were reported by data stewards.`
      : '';
  return HealthcareIndexComponents.of(
    {
      code,
      clinicAccess: componentOf(villagesWithAccess, villages),
      assistedBookings: componentOf(bookings.total, villageMonths * reference),
      bookingsPerVillageMonth: ratioOf(bookings.total, villageMonths, 1) ?? 0,
      hasFigures,
    },
    // Travel times are always synthetic, so the components are too.
    `Computed from synthetic travel times and ${INDEX_YEAR.year} assisted bookings.${reported}`,
  );
}

async function ofRegionView({ rollup }: RegionHealthcare, ctx: HealthcareContext) {
  const months = await ctx.loaders.bookingsByRegion(INDEX_YEAR.months).load(rollup.regionCode);
  const bookings = months.reduce(
    (acc, m) => ({
      total: acc.total + m.doctorAppointments + m.testResults + m.insurance,
      pointMonths: acc.pointMonths + m.pointMonths,
      reportedPointMonths: acc.reportedPointMonths + m.reportedPointMonths,
    }),
    NO_BOOKINGS,
  );
  return components(rollup.regionCode, rollup.villageCount, rollup.villagesClinic30, bookings);
}

async function ofVillageView(view: VillageHealthcare, ctx: HealthcareContext) {
  const bookings = await ctx.loaders.bookingsByVillage(INDEX_YEAR.months).load(view.villageCode);
  const minutes = view.access.clinicMinutes;
  const within = minutes !== null && minutes <= HEALTHCARE_INDEX.accessMinutes ? 1 : 0;
  return components(view.villageCode, 1, within, bookings);
}

/**
 * Healthcare's index fields. The inputs places requires are the views' components where
 * healthcare holds data for the place, zeros with `hasFigures: false` where it does not (the
 * view is then null).
 */
export const HEALTHCARE_INDEX_RESOLVERS = indexFieldResolvers({
  domain: 'Healthcare',
  components: HealthcareIndexComponents,
  regionView: {
    type: RegionHealthcare,
    description: "Healthcare's components of the digital-village index, from the rollup tables.",
    compute: ofRegionView,
  },
  villageView: {
    type: VillageHealthcare,
    description: "Healthcare's components of the digital-village index for this village.",
    compute: ofVillageView,
  },
  region: {
    type: Region,
    // Only to tell a region it holds whole from one places holds more of (loaded-scope.ts).
    requires: REGION_COUNTS,
    compute: async (region: Region, ctx: HealthcareContext) => {
      const rollup = await ctx.loaders.rollupByRegion.load(region.code);
      if (!rollup) return components(region.code, 0, 0, NO_BOOKINGS, false);
      return ofRegionView(Object.assign(new RegionHealthcare(), { rollup }), ctx);
    },
  },
  village: {
    type: Village,
    compute: async (village: Village, ctx: HealthcareContext) => {
      const access = await ctx.loaders.accessByVillage.load(village.code);
      if (!access) return components(village.code, 0, 0, NO_BOOKINGS, false);
      const view = Object.assign(new VillageHealthcare(), { villageCode: village.code, access });
      return ofVillageView(view, ctx);
    },
  },
});
