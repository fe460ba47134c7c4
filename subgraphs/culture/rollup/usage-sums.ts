/**
 * The usage sums of auditorium-months, one shape for all that handles them: what
 * `region_usage_rollup` keeps per region and month, what a month range reads back
 * (rollup.loaders.ts), and what one report changes, new figures minus replaced ones
 * (`applyUsageDelta`, rollup.rebuild.ts).
 */
export interface UsageSums {
  reports: number;
  visits: number;
  resourceViews: number;
  medicalAppointmentSessions: number;
  socialInsuranceSessions: number;
  eGovernmentSessions: number;
  otherAssistedSessions: number;
  events: number;
  eventAttendance: number;
}

/** Each sum with its column in `region_usage_rollup`, in the table's order. */
export const USAGE_SUM_COLUMNS: [keyof UsageSums, string][] = [
  ['reports', 'reports'],
  ['visits', 'visits'],
  ['resourceViews', 'resource_views'],
  ['medicalAppointmentSessions', 'medical_appointment_sessions'],
  ['socialInsuranceSessions', 'social_insurance_sessions'],
  ['eGovernmentSessions', 'e_government_sessions'],
  ['otherAssistedSessions', 'other_assisted_sessions'],
  ['events', 'events'],
  ['eventAttendance', 'event_attendance'],
];

/** Every sum zero: a range with no report, or the base of a change to some of them. */
export const ZERO_USAGE_SUMS = Object.fromEntries(
  USAGE_SUM_COLUMNS.map(([key]) => [key, 0]),
) as unknown as UsageSums;
