/** Village access rows and assistance points of one county (see README: Synthetic assumptions). */
import { isRuralVillageName, readDivisions } from '../../shared/divisions.js';
import { rngFor, type AuditoriumCoverage } from '../../shared/synthetic.js';
import { AssistancePointKind, AssistedBookingKind } from '../assistance/assistance-point.entity.js';
import { auditoriumIdOf } from '../assistance/auditorium.reference.js';
import { BAOSHANQIAO_CODE, BAOSHANQIAO_PROVENANCE } from './baoshanqiao.js';
import { AUDITORIUM_POINT_SHARE, accessFigures, monthlyCounts } from './model.js';

import { SYNTHETIC, centreId, hospitalId, type Emit } from './row-types.js';

const ALL_KINDS = Object.values(AssistedBookingKind);

export interface Township {
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
export async function countyAccess(
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
      const kind = AssistancePointKind.CULTURE_AUDITORIUM;
      await addPoint(seed, emit, v.code, kind, auditoriumIdOf(at), reported);
    }
  }
}

/**
 * What a point of each kind is: its id (by its village), the column naming where it stands
 * (the auditorium, the clinic) and the share of a village's bookings it helps with.
 */
const POINT_KINDS: Record<
  AssistancePointKind,
  { id: string; at: 'auditorium_id' | 'facility_id'; scale: number }
> = {
  CULTURE_AUDITORIUM: { id: 'ap-aud', at: 'auditorium_id', scale: 1 },
  VILLAGE_CLINIC: { id: 'ap-clinic', at: 'facility_id', scale: 0.5 },
};

/** An assistance point of `kind` in `village`, standing at `at`, with its months of bookings. */
export async function addPoint(
  seed: number,
  emit: Emit,
  village: string,
  kind: AssistancePointKind,
  at: string,
  reported = false,
) {
  const { scale, ...point } = POINT_KINDS[kind];
  const id = `${point.id}-${village}`;
  const r = rngFor(seed, `point:${id}`);
  // The reported example names doctor appointments only; generated points vary.
  const helpsWith = reported
    ? [AssistedBookingKind.DOCTOR_APPOINTMENT]
    : ALL_KINDS.filter((k) => k === AssistedBookingKind.DOCTOR_APPOINTMENT || r() < 0.7);
  await emit('assistance_point', {
    id,
    village_code: village,
    kind,
    auditorium_id: null,
    facility_id: null,
    [point.at]: at,
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
