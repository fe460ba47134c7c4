/** The rows the seeder writes for one scope (see README: Synthetic assumptions). */
import { isRuralVillageName, readDivisions, villageShortName } from '../../shared/divisions.js';
import { ProvenanceKind, SYNTHETIC_SOURCE } from '../../shared/provenance.js';
import { auditoriumCoverage, rngFor, type AuditoriumCoverage } from '../../shared/synthetic.js';
import { AssistancePointKind, AssistedBookingKind } from '../assistance/assistance-point.entity.js';
import { auditoriumIdOf } from '../assistance/auditorium.reference.js';
import { FacilityLevel } from '../facility/facility.entity.js';
import { BAOSHANQIAO_CODE, BAOSHANQIAO_PROVENANCE } from './baoshanqiao.js';
import {
  AUDITORIUM_POINT_SHARE,
  CLINIC_POINT_SHARE,
  CLINIC_SHARE,
  SYNTHETIC_AS_OF,
  accessFigures,
  facilityFigures,
  monthlyCounts,
} from './model.js';

const SYNTHETIC = {
  provenance_kind: ProvenanceKind.SYNTHETIC,
  provenance_source: SYNTHETIC_SOURCE,
  provenance_as_of: SYNTHETIC_AS_OF,
  provenance_note: null,
};
const ALL_KINDS = Object.values(AssistedBookingKind);

export type Row = Record<string, unknown>;

/** The tables the seeder writes, in the order their rows are generated. */
export type Table =
  | 'facility'
  | 'telemedicine_link'
  | 'village_access'
  | 'assistance_point'
  | 'assisted_booking_month';

/** Where generated rows go (the load's bulk writers). */
export type Emit = (table: Table, row: Row) => Promise<void>;

async function facilityRow(
  seed: number,
  id: string,
  name: string,
  level: FacilityLevel,
  at: { village: string | null; region: string; location: string },
  emit: Emit,
  partnerId: string | null,
) {
  const f = facilityFigures(seed, id, level);
  const telemedicine = f.offersTelemedicine && partnerId !== null;
  await emit('facility', {
    id,
    name,
    level,
    village_code: at.village,
    region_code: at.region,
    location_code: at.location,
    opening_hours: JSON.stringify(f.openingHours),
    doctor_count: f.doctorCount,
    services: JSON.stringify(f.services),
    accepts_online_appointments: f.acceptsOnlineAppointments,
    offers_telemedicine: telemedicine,
    ...SYNTHETIC,
    ...hoursProvenance(),
  });
  if (telemedicine) {
    await emit('telemedicine_link', {
      facility_id: id,
      partner_id: partnerId,
      location_code: at.location,
      since_year: f.sinceYear,
      ...SYNTHETIC,
    });
  }
  return f;
}

function hoursProvenance() {
  return {
    hours_provenance_kind: ProvenanceKind.SYNTHETIC,
    hours_provenance_source: SYNTHETIC_SOURCE,
    hours_provenance_as_of: SYNTHETIC_AS_OF,
    hours_provenance_note: null,
  };
}

/** Two hospitals per county (general and TCM): the set does not depend on the seed. */
const hospitalId = (county: string, n: 1 | 2) => `hosp-${county}-${n}`;
const centreId = (township: string) => `thc-${township}`;

/**
 * Generates every row of one scope from the division data and the synthetic model, streaming:
 * villages arrive sorted by code, so a township's villages are held only until the next
 * township starts (a village without a clinic is served by one of its own township's).
 */
export async function generateRows(
  seed: number,
  prefix: string,
  emit: Emit,
  tick: () => void = () => undefined,
): Promise<void> {
  const inScope = (code: string) => code.startsWith(prefix) || prefix.startsWith(code);
  // Culture's own rule (shared, over the division data): which villages have an auditorium.
  const auditoriums = await auditoriumCoverage(seed, prefix);
  for await (const a of readDivisions('areas')) {
    if (!inScope(a.code)) continue;
    const at = { village: null, region: a.code, location: a.code };
    const hospital = (n: 1 | 2, name: string) =>
      facilityRow(seed, hospitalId(a.code, n), name, FacilityLevel.COUNTY_HOSPITAL, at, emit, null);
    await hospital(1, `${a.name}人民医院`);
    await hospital(2, `${a.name}中医院`);
  }
  for await (const s of readDivisions('streets', prefix)) {
    const name = s.name.endsWith('街道') ? `${s.name}社区卫生服务中心` : `${s.name}卫生院`;
    const at = { village: null, region: s.code, location: s.code };
    await facilityRow(
      seed,
      centreId(s.code),
      name,
      FacilityLevel.TOWNSHIP_HEALTH_CENTRE,
      at,
      emit,
      hospitalId(s.areaCode, 1),
    );
  }
  // A county's townships are held until the county ends (a few hundred villages at most): an
  // auditorium point of a township without any auditorium helps at one elsewhere in the county.
  let townships: Township[] = [];
  for await (const v of readDivisions('villages', prefix)) {
    tick();
    if (!isRuralVillageName(v.name)) continue;
    const last = townships.at(-1);
    if (last && last.villages[0].areaCode !== v.areaCode) {
      await countyAccess(seed, prefix, townships, auditoriums, emit);
      townships = [];
    }
    let township = townships.at(-1);
    if (!township || township.villages[0].streetCode !== v.streetCode) {
      township = { villages: [], clinics: [] };
      townships.push(township);
    }
    township.villages.push(v);
    if (rngFor(seed, `clinic:${v.code}`)() >= CLINIC_SHARE) continue;
    const id = `clinic-${v.code}`;
    const partner =
      rngFor(seed, `telemedicine:${id}`)() < 0.75
        ? centreId(v.streetCode)
        : hospitalId(v.areaCode, 1);
    const at = { village: v.code, region: v.streetCode, location: v.code };
    const f = await facilityRow(
      seed,
      id,
      `${villageShortName(v.name)}卫生室`,
      FacilityLevel.VILLAGE_CLINIC,
      at,
      emit,
      partner,
    );
    township.clinics.push(id);
    if (
      f.acceptsOnlineAppointments &&
      rngFor(seed, `point:clinic:${v.code}`)() < CLINIC_POINT_SHARE
    ) {
      await addPoint(
        seed,
        emit,
        v.code,
        `ap-clinic-${v.code}`,
        AssistancePointKind.VILLAGE_CLINIC,
        { facility_id: id },
        0.5,
      );
    }
  }
  if (townships.length > 0) await countyAccess(seed, prefix, townships, auditoriums, emit);
}

interface Township {
  /** Its rural villages, by code. */
  villages: Record<string, string>[];
  /** Ids of its village clinics. */
  clinics: string[];
}

/**
 * The next village after `index` (wrapping round) that has a culture auditorium, or null.
 */
function nextWithAuditorium(
  villages: Record<string, string>[],
  index: number,
  auditoriums: AuditoriumCoverage,
): string | null {
  for (let k = 0; k < villages.length; k++) {
    const w = villages[(index + k) % villages.length];
    if (auditoriums.covers(w)) return w.code;
  }
  return null;
}

/**
 * Access rows and auditorium assistance points of one county's townships. The auditorium where a
 * village's auditorium point helps is its own when culture has one for the village (the same
 * shared rule culture applies), else that of the next village of its township that has one, else
 * of the next village of its county that has one — always one culture has wherever the county
 * is loaded, and the same whatever scope is loaded (a township scope reads its county's villages
 * from the division data). A county without any auditorium gets no auditorium points.
 */
async function countyAccess(
  seed: number,
  prefix: string,
  townships: Township[],
  auditoriums: AuditoriumCoverage,
  emit: Emit,
): Promise<void> {
  let county: Record<string, string>[] | null = null;
  const countyVillages = async () => {
    if (county) return county;
    county = [];
    if (prefix.length > 6) {
      for await (const v of readDivisions('villages', prefix.slice(0, 6)))
        if (isRuralVillageName(v.name)) county.push(v);
    } else {
      county = townships.flatMap((t) => t.villages);
    }
    return county;
  };
  for (const { villages, clinics } of townships) {
    await townshipAccess(seed, villages, clinics, emit, async (index) => {
      const own = nextWithAuditorium(villages, index, auditoriums);
      if (own !== null) return own;
      const all = await countyVillages();
      return nextWithAuditorium(
        all,
        all.findIndex((w) => w.code === villages[index].code),
        auditoriums,
      );
    });
  }
}

/** Access rows and auditorium assistance points of one township's rural villages. */
async function townshipAccess(
  seed: number,
  villages: Record<string, string>[],
  neighbours: string[],
  emit: Emit,
  auditoriumVillage: (index: number) => Promise<string | null>,
): Promise<void> {
  for (const [index, v] of villages.entries()) {
    const own = `clinic-${v.code}`;
    const hasOwn = neighbours.includes(own);
    const a = accessFigures(seed, v.code, hasOwn);
    const clinic = hasOwn
      ? own
      : (neighbours[Math.floor(a.neighbourPick * neighbours.length)] ?? null);
    await emit('village_access', {
      village_code: v.code,
      nearest_clinic_id: clinic,
      clinic_minutes: clinic ? a.clinicMinutes : null,
      nearest_township_centre_id: centreId(v.streetCode),
      township_centre_minutes: a.townshipCentreMinutes,
      nearest_county_hospital_id: hospitalId(v.areaCode, 1),
      county_hospital_minutes: a.countyHospitalMinutes,
      family_doctor_covered: a.familyDoctorCovered,
      ...SYNTHETIC,
    });
    const reported = v.code === BAOSHANQIAO_CODE;
    if (reported || rngFor(seed, `point:aud:${v.code}`)() < AUDITORIUM_POINT_SHARE) {
      const at = await auditoriumVillage(index);
      if (at === null) continue;
      await addPoint(
        seed,
        emit,
        v.code,
        `ap-aud-${v.code}`,
        AssistancePointKind.CULTURE_AUDITORIUM,
        { auditorium_id: auditoriumIdOf(at) },
        1,
        reported,
      );
    }
  }
}

async function addPoint(
  seed: number,
  emit: Emit,
  village: string,
  id: string,
  kind: AssistancePointKind,
  ref: { auditorium_id?: string; facility_id?: string },
  scale: number,
  reported = false,
) {
  const r = rngFor(seed, `point:${id}`);
  // The reported example names doctor appointments only; generated points vary.
  const helpsWith = reported
    ? [AssistedBookingKind.DOCTOR_APPOINTMENT]
    : ALL_KINDS.filter((k) => k === AssistedBookingKind.DOCTOR_APPOINTMENT || r() < 0.7);
  await emit('assistance_point', {
    id,
    village_code: village,
    kind,
    auditorium_id: ref.auditorium_id ?? null,
    facility_id: ref.facility_id ?? null,
    helps_with: JSON.stringify(helpsWith),
    ...(reported ? BAOSHANQIAO_PROVENANCE : SYNTHETIC),
  });
  for (const m of monthlyCounts(seed, id, helpsWith, scale)) {
    await emit('assisted_booking_month', {
      point_id: id,
      month: m.month,
      village_code: village,
      doctor_appointments: m.doctorAppointments,
      test_results: m.testResults,
      insurance: m.insurance,
      ...SYNTHETIC,
      provenance_as_of: m.month,
    });
  }
}
