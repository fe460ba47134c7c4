import type { Knex } from '@mikro-orm/knex';
import { MAX_RANGE_MONTHS, monthIndex } from '../../shared/arguments.js';
import { monthOf } from '../../shared/months.js';

/** Region levels by code length: province, city, county, township. */
export const REGION_CODE_LENGTHS = [2, 4, 6, 9] as const;

/** The codes of every region enclosing a village (or township) code. */
export function enclosingRegions(code: string): string[] {
  return REGION_CODE_LENGTHS.filter((n) => n < code.length).map((n) => code.slice(0, n));
}

/**
 * One row per contributing record, with its share of each figure; grouping by a code prefix of
 * length n gives the level-n rollup. Facilities stand at a village, township or county code,
 * so a county hospital counts for its county and above, never for a township.
 */
function contributions(n: number): string {
  const zeros = (k: number) => Array.from({ length: k }, () => '0').join(', ');
  return `
    select substr(a.village_code, 1, ${n}) as region_code, 1 as village_count,
      case when a.clinic_minutes <= 15 then 1 else 0 end as villages_clinic_15,
      case when a.clinic_minutes <= 30 then 1 else 0 end as villages_clinic_30,
      case when a.family_doctor_covered then 1 else 0 end as family_doctor_villages,
      case when c.offers_telemedicine or t.offers_telemedicine then 1 else 0 end
        as telemedicine_villages,
      0 as village_clinics, 0 as township_centres, 0 as county_hospitals, 0 as doctors,
      0 as online_appointment_facilities, 0 as telemedicine_facilities,
      0 as assistance_points, 0 as reported_assistance_points
    from village_access a
    left join facility c on c.id = a.nearest_clinic_id
    left join facility t on t.id = a.nearest_township_centre_id
    union all
    select substr(f.location_code, 1, ${n}), ${zeros(5)},
      case when f.level = 'VILLAGE_CLINIC' then 1 else 0 end,
      case when f.level = 'TOWNSHIP_HEALTH_CENTRE' then 1 else 0 end,
      case when f.level = 'COUNTY_HOSPITAL' then 1 else 0 end,
      f.doctor_count,
      case when f.accepts_online_appointments then 1 else 0 end,
      case when f.offers_telemedicine then 1 else 0 end,
      0, 0
    from facility f where length(f.location_code) >= ${n}
    union all
    select substr(p.village_code, 1, ${n}), ${zeros(11)}, 1,
      case when p.provenance_kind = 'SYNTHETIC' then 0 else 1 end
    from assistance_point p`;
}

const ROLLUP_COLUMNS = [
  'village_count',
  'villages_clinic_15',
  'villages_clinic_30',
  'family_doctor_villages',
  'telemedicine_villages',
  'village_clinics',
  'township_centres',
  'county_hospitals',
  'doctors',
  'online_appointment_facilities',
  'telemedicine_facilities',
  'assistance_points',
  'reported_assistance_points',
];

/**
 * Rebuilds both rollup tables from the base tables, inside the caller's transaction: one
 * grouped INSERT … SELECT per level, so its cost does not depend on how many regions exist.
 */
export async function rebuildRegionRollups(trx: Knex.Transaction): Promise<void> {
  await trx.raw('delete from region_healthcare_rollup');
  for (const n of REGION_CODE_LENGTHS) {
    const sums = ROLLUP_COLUMNS.map((c) => `sum(${c})`).join(', ');
    await trx.raw(
      `insert into region_healthcare_rollup (region_code, ${ROLLUP_COLUMNS.join(', ')})
       select region_code, ${sums} from (${contributions(n)}) x group by region_code`,
    );
  }
  await rebuildBookingRollups(trx);
}

const BOOKING_SUMS = `sum(doctor_appointments), sum(test_results), sum(insurance), count(*),
  sum(case when provenance_kind = 'SYNTHETIC' then 0 else 1 end)`;
const BOOKING_COLUMNS =
  'region_code, month, doctor_appointments, test_results, insurance, point_months, reported_point_months';

/** Rebuilds the monthly booking rollup from the monthly rows, entirely. */
export async function rebuildBookingRollups(trx: Knex.Transaction): Promise<void> {
  await trx.raw('delete from region_booking_rollup');
  // Townships from the monthly rows, each coarser level from the level below it.
  await trx.raw(
    `insert into region_booking_rollup (${BOOKING_COLUMNS})
     select substr(village_code, 1, 9), month, ${BOOKING_SUMS}
     from assisted_booking_month group by substr(village_code, 1, 9), month`,
  );
  for (const [i, n] of [6, 4, 2].entries()) {
    await trx.raw(
      `insert into region_booking_rollup (${BOOKING_COLUMNS})
       select substr(region_code, 1, ${n}), month, sum(doctor_appointments), sum(test_results),
         sum(insurance), sum(point_months), sum(reported_point_months)
       from region_booking_rollup where length(region_code) = ${[9, 6, 4][i]}
       group by substr(region_code, 1, ${n}), month`,
    );
  }
}

/** One point-month of bookings as the rollup counts it. */
export interface BookingMonth {
  doctor_appointments: number;
  test_results: number;
  insurance: number;
  /** Whether a data steward reported it (not synthetic). */
  reported: boolean;
}

/**
 * Applies one point-month's change (`before` absent for a new one) to the rollup rows of the
 * regions enclosing its village: one upsert of the differences, as the full rebuild would count
 * them. Its cost does not grow with the province (re-summing the province's month scanned every
 * village of it: 200–650 ms a report).
 */
export async function applyBookingChange(
  trx: Knex,
  villageCode: string,
  month: string,
  before: BookingMonth | undefined,
  after: BookingMonth,
): Promise<void> {
  const regions = enclosingRegions(villageCode);
  const delta = [
    after.doctor_appointments - (before?.doctor_appointments ?? 0),
    after.test_results - (before?.test_results ?? 0),
    after.insurance - (before?.insurance ?? 0),
    before ? 0 : 1,
    Number(after.reported) - Number(before?.reported ?? false),
  ];
  await trx.raw(
    `insert into region_booking_rollup (${BOOKING_COLUMNS})
     values ${regions.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
     on conflict (region_code, month) do update set
       doctor_appointments = region_booking_rollup.doctor_appointments + excluded.doctor_appointments,
       test_results = region_booking_rollup.test_results + excluded.test_results,
       insurance = region_booking_rollup.insurance + excluded.insurance,
       point_months = region_booking_rollup.point_months + excluded.point_months,
       reported_point_months = region_booking_rollup.reported_point_months + excluded.reported_point_months`,
    regions.flatMap((r) => [r, month, ...delta]),
  );
}

/** Largest bookings total a read answers: the GraphQL Int range its fields are answered in. */
export const MAX_BOOKINGS_TOTAL = 2_147_483_647;

/**
 * The largest total of assisted bookings (all kinds together) of a province over any run of
 * MAX_RANGE_MONTHS months that contains `month`. A province holds every figure of its regions,
 * so when this stays within MAX_BOOKINGS_TOTAL every figure a read answers does too: each
 * region's counts, each month's `total` and the sums over any range a read may ask for.
 */
export async function largestBookingWindow(
  trx: Knex,
  villageCode: string,
  month: string,
): Promise<number> {
  const at = monthIndex(month);
  const first = at - (MAX_RANGE_MONTHS - 1);
  const rows = (await trx('region_booking_rollup')
    .select('month', trx.raw('doctor_appointments + test_results + insurance as total'))
    .where('region_code', villageCode.slice(0, 2))
    .whereBetween('month', [monthOf(first), monthOf(at + MAX_RANGE_MONTHS - 1)])) as {
    month: string;
    total: number | string;
  }[];
  const totals = new Array<number>(2 * MAX_RANGE_MONTHS - 1).fill(0);
  for (const r of rows) totals[monthIndex(r.month) - first] = Number(r.total);
  let window = totals.slice(0, MAX_RANGE_MONTHS).reduce((a, b) => a + b, 0);
  let largest = window;
  for (let start = 1; start < MAX_RANGE_MONTHS; start++) {
    window += totals[start + MAX_RANGE_MONTHS - 1] - totals[start - 1];
    largest = Math.max(largest, window);
  }
  return largest;
}
