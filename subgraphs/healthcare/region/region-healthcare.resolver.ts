import { FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import {
  ProvenanceKind,
  SYNTHETIC_SOURCE,
  provenance,
  type Provenance,
} from '../../shared/provenance.js';
import type { HealthcareContext } from '../context.js';
import { shareOf } from '../../shared/ratios.js';
import { SYNTHETIC_AS_OF } from '../seed/model.js';
import { monthRange } from '../../shared/arguments.js';
import type { RegionHealthcareRollup } from '../rollup/rollup.entity.js';
import {
  AssistanceCoverage,
  ClinicAccessShares,
  FacilityCounts,
  RegionAssistedBookings,
  TelemedicineCoverage,
  VillageShare,
} from './region-healthcare.types.js';
import { Region } from './region.reference.js';
import { MonthRangeField } from '../../shared/months.js';
import { REGION_COUNTS, regionViewResolver } from '../../shared/references.js';

@ObjectType({
  description:
    "The healthcare-access subgraph's figures for a region, all read from precomputed rollups.",
})
export class RegionHealthcare {
  rollup!: RegionHealthcareRollup;
}

const rollupProvenance = (what: string): Provenance =>
  provenance(
    ProvenanceKind.SYNTHETIC,
    SYNTHETIC_SOURCE,
    SYNTHETIC_AS_OF,
    `Precomputed rollup of synthetic ${what}.`,
  );

export const RegionHealthcareFieldResolver = regionViewResolver(
  Region,
  RegionHealthcare,
  {
    name: 'healthcare',
    description: 'Access to healthcare in the region; null when no data is loaded for it.',
    requires: REGION_COUNTS,
  },
  async (region, ctx: HealthcareContext) => {
    const rollup = await ctx.loaders.rollupByRegion.load(region.code);
    return rollup ? Object.assign(new RegionHealthcare(), { rollup }) : null;
  },
);

@Resolver(() => RegionHealthcare)
export class RegionHealthcareResolver {
  @FieldResolver(() => Int, {
    description: 'Rural villages (村委会 / 村民委员会) in the region with access measures.',
  })
  ruralVillageCount(@Root() v: RegionHealthcare): number {
    return v.rollup.villageCount;
  }

  @FieldResolver(() => ClinicAccessShares, {
    description: 'Rural villages with a clinic within 15 and 30 minutes.',
  })
  clinicAccess(@Root() { rollup: r }: RegionHealthcare): ClinicAccessShares {
    return {
      villagesWithin15Minutes: r.villagesClinic15,
      villagesWithin30Minutes: r.villagesClinic30,
      shareWithin15Minutes: shareOf(r.villagesClinic15, r.villageCount),
      shareWithin30Minutes: shareOf(r.villagesClinic30, r.villageCount),
      provenance: rollupProvenance('travel times'),
    };
  }

  @FieldResolver(() => VillageShare, {
    description: 'Rural villages covered by family-doctor contracting.',
  })
  familyDoctorCoverage(@Root() { rollup: r }: RegionHealthcare): VillageShare {
    return {
      villages: r.familyDoctorVillages,
      share: shareOf(r.familyDoctorVillages, r.villageCount),
      provenance: rollupProvenance('family-doctor coverage'),
    };
  }

  @FieldResolver(() => FacilityCounts, { description: 'Facilities in the region, by level.' })
  facilities(@Root() { rollup: r }: RegionHealthcare): FacilityCounts {
    return {
      villageClinics: r.villageClinics,
      townshipHealthCentres: r.townshipCentres,
      countyHospitals: r.countyHospitals,
      total: r.villageClinics + r.townshipCentres + r.countyHospitals,
      acceptingOnlineAppointments: r.onlineAppointmentFacilities,
      doctors: r.doctors,
      provenance: rollupProvenance('facility records'),
    };
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description:
      'Doctors per 1,000 residents. Always null for now: the division data carries no ' +
      'population and this subgraph holds no real population figure; a made-up population ' +
      'would produce a real-looking but false ratio. See `facilities.doctors` for the count.',
  })
  doctorsPer1000Residents(): number | null {
    return null;
  }

  @FieldResolver(() => TelemedicineCoverage, { description: 'Reach of telemedicine.' })
  telemedicine(@Root() { rollup: r }: RegionHealthcare): TelemedicineCoverage {
    const p = rollupProvenance('telemedicine arrangements');
    return {
      facilitiesOffering: r.telemedicineFacilities,
      villages: {
        villages: r.telemedicineVillages,
        share: shareOf(r.telemedicineVillages, r.villageCount),
        provenance: p,
      },
      provenance: p,
    };
  }

  @FieldResolver(() => AssistanceCoverage, {
    description: 'Places where staff help residents book care online.',
  })
  assistance(@Root() { rollup: r }: RegionHealthcare): AssistanceCoverage {
    return {
      points: r.assistancePoints,
      reportedPoints: r.reportedAssistancePoints,
      provenance: provenance(
        ProvenanceKind.SYNTHETIC,
        SYNTHETIC_SOURCE,
        SYNTHETIC_AS_OF,
        r.reportedAssistancePoints > 0
          ? `${r.reportedAssistancePoints} of ${r.assistancePoints} points are reported in a ` +
              'named source (see each point); the others are synthetic.'
          : 'Precomputed rollup of synthetic assistance points.',
      ),
    };
  }

  @MonthRangeField(
    () => RegionAssistedBookings,
    'Assisted bookings in a month range (at most 120 months), from rollups.',
  )
  async assistedBookings(
    v: RegionHealthcare,
    ctx: HealthcareContext,
    from: string,
    to: string,
  ): Promise<RegionAssistedBookings> {
    const range = monthRange(from, to);
    const rows = await ctx.loaders.bookingsByRegion(range).load(v.rollup.regionCode);
    const months = rows.map((m) => ({
      month: m.month,
      doctorAppointments: m.doctorAppointments,
      testResults: m.testResults,
      insurance: m.insurance,
      total: m.doctorAppointments + m.testResults + m.insurance,
      reportingPoints: m.pointMonths,
    }));
    const sum = (k: 'doctorAppointments' | 'testResults' | 'insurance') =>
      months.reduce((acc, m) => acc + m[k], 0);
    const pointMonths = rows.reduce((acc, m) => acc + m.pointMonths, 0);
    const reported = rows.reduce((acc, m) => acc + m.reportedPointMonths, 0);
    return {
      ...range,
      doctorAppointments: sum('doctorAppointments'),
      testResults: sum('testResults'),
      insurance: sum('insurance'),
      total: months.reduce((acc, m) => acc + m.total, 0),
      months,
      provenance: bookingProvenance(pointMonths, reported, range.to),
    };
  }
}

/** Reported only when every contributing point-month was reported by a data steward. */
function bookingProvenance(pointMonths: number, reported: number, asOf: string): Provenance {
  if (pointMonths > 0 && reported === pointMonths) {
    return provenance(
      ProvenanceKind.REPORTED,
      'Monthly reports of data stewards',
      asOf,
      'Sum of reported monthly counts.',
    );
  }
  return provenance(
    ProvenanceKind.SYNTHETIC,
    SYNTHETIC_SOURCE,
    asOf,
    reported > 0
      ? `${reported} of ${pointMonths} point-months were reported by data stewards; the rest are synthetic.`
      : 'Precomputed rollup of synthetic monthly counts.',
  );
}
