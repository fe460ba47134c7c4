import { Field, Float, Int, ObjectType, type ClassType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import { MonthSpan, OneMonth } from '../../shared/months.js';

@ObjectType({ description: 'How many rural villages have a clinic within a travel time.' })
export class ClinicAccessShares {
  @Field(() => Int, { description: 'Villages whose nearest clinic is at most 15 minutes away.' })
  villagesWithin15Minutes!: number;

  @Field(() => Int, { description: 'Villages whose nearest clinic is at most 30 minutes away.' })
  villagesWithin30Minutes!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Share (0–1, 4 decimals) of rural villages with a clinic within 15 minutes.',
  })
  shareWithin15Minutes!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Share (0–1, 4 decimals) of rural villages with a clinic within 30 minutes.',
  })
  shareWithin30Minutes!: number | null;

  @Field(() => Provenance, { description: 'Where these figures come from.' })
  provenance!: Provenance;
}

@ObjectType({ description: 'A count of rural villages and its share of all of them.' })
export class VillageShare {
  @Field(() => Int, { description: 'Number of rural villages.' })
  villages!: number;

  @Field(() => Float, { nullable: true, description: 'Share (0–1, 4 decimals) of rural villages.' })
  share!: number | null;

  @Field(() => Provenance, { description: 'Where these figures come from.' })
  provenance!: Provenance;
}

@ObjectType({ description: 'Health facilities standing in a region, by level.' })
export class FacilityCounts {
  @Field(() => Int, { description: 'Village clinics.' })
  villageClinics!: number;

  @Field(() => Int, { description: 'Township health centres.' })
  townshipHealthCentres!: number;

  @Field(() => Int, {
    description: 'County hospitals (counted for their county and above, not for a township).',
  })
  countyHospitals!: number;

  @Field(() => Int, { description: 'All facilities.' })
  total!: number;

  @Field(() => Int, { description: 'Facilities accepting online appointments.' })
  acceptingOnlineAppointments!: number;

  @Field(() => Int, { description: 'Doctors working in these facilities.' })
  doctors!: number;

  @Field(() => Provenance, { description: 'Where these figures come from.' })
  provenance!: Provenance;
}

@ObjectType({ description: 'Reach of telemedicine in a region.' })
export class TelemedicineCoverage {
  @Field(() => Int, {
    description: 'Facilities offering remote consultations with a higher-level hospital.',
  })
  facilitiesOffering!: number;

  @Field(() => VillageShare, {
    description:
      'Rural villages whose nearest clinic or township health centre offers telemedicine.',
  })
  villages!: VillageShare;

  @Field(() => Provenance, { description: 'Where these figures come from.' })
  provenance!: Provenance;
}

@ObjectType({ description: 'Places in a region where staff help residents book care online.' })
export class AssistanceCoverage {
  @Field(() => Int, { description: 'Assistance points.' })
  points!: number;

  @Field(() => Int, {
    description: 'Of these, points whose existence is reported in a named source.',
  })
  reportedPoints!: number;

  @Field(() => Provenance, { description: 'Where these figures come from.' })
  provenance!: Provenance;
}

/**
 * The assisted-booking counts of a region, the same for a month (RegionBookingMonth) and over a
 * month range (RegionAssistedBookings): written once, after the month fields `Base` gives
 * (shared/months.ts). Only what `total` counts is said differently.
 */
function BookingCounts<B extends ClassType>(Base: B, totalDescription: string) {
  // Never emitted itself (nothing returns it); the types that extend it are.
  @ObjectType()
  class Bookings extends Base {
    @Field(() => Int, { description: 'Doctor appointments booked online with help.' })
    doctorAppointments!: number;

    @Field(() => Int, { description: 'Test results looked up online with help.' })
    testResults!: number;

    @Field(() => Int, { description: 'Medical-insurance services done online with help.' })
    insurance!: number;

    @Field(() => Int, { description: totalDescription })
    total!: number;
  }
  return Bookings;
}

@ObjectType({ description: "A region's assisted bookings in one month." })
export class RegionBookingMonth extends BookingCounts(
  OneMonth,
  'All assisted bookings of the month.',
) {
  @Field(() => Int, { description: 'Assistance points that contributed a figure this month.' })
  reportingPoints!: number;
}

@ObjectType({ description: "A region's assisted bookings over a month range (counts only)." })
export class RegionAssistedBookings extends BookingCounts(
  MonthSpan,
  'All assisted bookings in the range.',
) {
  @Field(() => [RegionBookingMonth], {
    description: 'Month by month (months without any figure are left out); at most 120.',
  })
  months!: RegionBookingMonth[];

  @Field(() => Provenance, { description: 'Where these figures come from.' })
  provenance!: Provenance;
}
