/**
 * The synthetic model of healthcare access (assumptions written down in the README). Every
 * value comes from rngFor(seed, key), so a reload reproduces it and another seed changes it.
 */
import { intBetween, rngFor } from '../../shared/synthetic.js';
import { AssistedBookingKind } from '../assistance/assistance-point.entity.js';
import { FacilityLevel } from '../facility/facility.entity.js';
import { FacilityService, Weekday, type OpeningPeriod } from '../facility/facility.types.js';

/** About 85 % of rural villages have their own clinic. */
export const CLINIC_SHARE = 0.85;
export const FAMILY_DOCTOR_SHARE = 0.92;
/** Share of villages whose culture auditorium helps residents book care online. */
export const AUDITORIUM_POINT_SHARE = 0.7;
/** Share of online-booking clinics whose staff also help residents book. */
export const CLINIC_POINT_SHARE = 0.5;
/** The synthetic monthly series: 24 months, the two years up to the article. */
export const FIRST_MONTH = '2020-01';
export const MONTHS = 24;
export const SYNTHETIC_AS_OF = '2021-12-31';

const WORKDAYS = [
  Weekday.MONDAY,
  Weekday.TUESDAY,
  Weekday.WEDNESDAY,
  Weekday.THURSDAY,
  Weekday.FRIDAY,
];

function periods(days: Weekday[], spans: [string, string][]): OpeningPeriod[] {
  return days.flatMap((weekday) => spans.map(([opens, closes]) => ({ weekday, opens, closes })));
}

export interface FacilityFigures {
  doctorCount: number;
  services: FacilityService[];
  acceptsOnlineAppointments: boolean;
  offersTelemedicine: boolean;
  openingHours: OpeningPeriod[];
  sinceYear: number;
}

export function facilityFigures(seed: number, id: string, level: FacilityLevel): FacilityFigures {
  const r = rngFor(seed, `facility:${id}`);
  const S = FacilityService;
  if (level === FacilityLevel.VILLAGE_CLINIC) {
    const saturday = r() < 0.6;
    return {
      doctorCount: intBetween(r, 1, 3),
      services: [
        S.GENERAL_PRACTICE,
        ...(r() < 0.8 ? [S.CHRONIC_DISEASE_FOLLOW_UP] : []),
        ...(r() < 0.3 ? [S.TRADITIONAL_CHINESE_MEDICINE] : []),
      ],
      acceptsOnlineAppointments: r() < 0.25,
      offersTelemedicine: r() < 0.35,
      openingHours: [
        ...periods(WORKDAYS, [
          ['08:00', '11:30'],
          ['13:30', '17:00'],
        ]),
        ...(saturday ? periods([Weekday.SATURDAY], [['08:00', '11:30']]) : []),
      ],
      sinceYear: intBetween(r, 2017, 2021),
    };
  }
  if (level === FacilityLevel.TOWNSHIP_HEALTH_CENTRE) {
    return {
      doctorCount: intBetween(r, 8, 40),
      services: [
        S.GENERAL_PRACTICE,
        S.VACCINATION,
        S.CHRONIC_DISEASE_FOLLOW_UP,
        ...(r() < 0.85 ? [S.TRADITIONAL_CHINESE_MEDICINE] : []),
        ...(r() < 0.8 ? [S.MATERNAL_AND_CHILD_HEALTH] : []),
        ...(r() < 0.4 ? [S.REHABILITATION] : []),
      ],
      acceptsOnlineAppointments: r() < 0.9,
      offersTelemedicine: r() < 0.8,
      openingHours: periods(Object.values(Weekday), [['08:00', '17:00']]),
      sinceYear: intBetween(r, 2015, 2020),
    };
  }
  return {
    doctorCount: id.endsWith('-1') ? intBetween(r, 150, 600) : intBetween(r, 60, 200),
    services: Object.values(S).filter((s) => s !== S.VACCINATION || id.endsWith('-1') || r() < 0.5),
    acceptsOnlineAppointments: true,
    // Links to provincial hospitals are outside this model (see README).
    offersTelemedicine: false,
    openingHours: periods(Object.values(Weekday), [['07:30', '17:30']]),
    sinceYear: 0,
  };
}

export interface AccessFigures {
  clinicMinutes: number | null;
  townshipCentreMinutes: number;
  countyHospitalMinutes: number;
  familyDoctorCovered: boolean;
  /** Index of the neighbouring clinic used when the village has none. */
  neighbourPick: number;
}

export function accessFigures(seed: number, village: string, ownClinic: boolean): AccessFigures {
  const r = rngFor(seed, `access:${village}`);
  return {
    clinicMinutes: ownClinic ? intBetween(r, 2, 10) : intBetween(r, 8, 35),
    townshipCentreMinutes: intBetween(r, 5, 40),
    countyHospitalMinutes: 15 + Math.floor(r() ** 1.5 * 76),
    familyDoctorCovered: r() < FAMILY_DOCTOR_SHARE,
    neighbourPick: r(),
  };
}

export function monthAt(index: number): string {
  const [y, m] = FIRST_MONTH.split('-').map(Number);
  const total = y * 12 + (m - 1) + index;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

export interface MonthCounts {
  month: string;
  doctorAppointments: number;
  testResults: number;
  insurance: number;
}

/** Usage grows over the two years (factor 0.6 → 1.2) as more residents learn the service. */
export function monthlyCounts(
  seed: number,
  pointId: string,
  helpsWith: AssistedBookingKind[],
  scale: number,
): MonthCounts[] {
  const r = rngFor(seed, `bookings:${pointId}`);
  const base = intBetween(r, 5, 40) * scale;
  const has = (k: AssistedBookingKind) => helpsWith.includes(k);
  return Array.from({ length: MONTHS }, (_, i) => {
    const trend = 0.6 + (0.6 * i) / (MONTHS - 1);
    const noise = () => 0.75 + 0.5 * r();
    return {
      month: monthAt(i),
      doctorAppointments: has(AssistedBookingKind.DOCTOR_APPOINTMENT)
        ? Math.round(base * trend * noise())
        : 0,
      testResults: has(AssistedBookingKind.TEST_RESULTS)
        ? Math.round(base * 0.35 * trend * noise())
        : 0,
      insurance: has(AssistedBookingKind.INSURANCE) ? Math.round(base * 0.2 * trend * noise()) : 0,
    };
  });
}
