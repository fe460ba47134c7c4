import { SafeIntResolver } from 'graphql-scalars';
import { Field, ObjectType, type ClassType } from 'type-graphql';
import { AssistedSessions, assistedSessions } from '../usage/auditorium-usage.entity.js';
import type { UsageSums } from '../rollup/usage-sums.js';

/**
 * The usage figures of a region's auditoriums, the same over a month range (RegionUsageTotals)
 * and for each month of it (RegionUsageMonth): written once, over the month fields `Base` gives
 * (shared/months.ts), which come first. Only `reports` counts differently in the two.
 */
export function UsageFigures<B extends ClassType>(Base: B, reportsDescription: string) {
  // Never emitted itself (nothing returns it); the types that extend it are.
  @ObjectType()
  class Usage extends Base {
    @Field(() => SafeIntResolver, { description: reportsDescription })
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
  return Usage;
}

/** The figures of UsageFigures from the usage sums of the rollups. */
export function usageFigures(s: UsageSums) {
  return {
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
  };
}
