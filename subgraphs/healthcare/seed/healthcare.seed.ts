import type { EntityManager, Orm } from '../../shared/database.js';
import {
  isRuralVillageName,
  readDivisions,
  scopePrefix,
  villageShortName,
} from '../../shared/divisions.js';
import { ProvenanceKind, SYNTHETIC_SOURCE } from '../../shared/provenance.js';
import type { SeedOptions, SeedResult } from '../../shared/subgraph.js';
import { rngFor } from '../../shared/synthetic.js';
import { AssistancePointKind, AssistedBookingKind } from '../assistance/assistance-point.entity.js';
import { auditoriumIdOf } from '../assistance/auditorium.reference.js';
import { FacilityLevel } from '../facility/facility.entity.js';
import { rebuildRegionRollups } from '../region/rollup.js';
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
import { upsertRows } from './upsert.js';

const SYNTHETIC = {
  provenance_kind: ProvenanceKind.SYNTHETIC,
  provenance_source: SYNTHETIC_SOURCE,
  provenance_as_of: SYNTHETIC_AS_OF,
  provenance_note: null,
};
const ALL_KINDS = Object.values(AssistedBookingKind);

type Row = Record<string, unknown>;

interface Rows {
  facility: Row[];
  telemedicine_link: Row[];
  village_access: Row[];
  assistance_point: Row[];
  assisted_booking_month: Row[];
}

function facilityRow(
  seed: number,
  id: string,
  name: string,
  level: FacilityLevel,
  at: { village: string | null; region: string; location: string },
  rows: Rows,
  partnerId: string | null,
) {
  const f = facilityFigures(seed, id, level);
  const telemedicine = f.offersTelemedicine && partnerId !== null;
  rows.facility.push({
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
    rows.telemedicine_link.push({
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

async function buildRows(seed: number, prefix: string): Promise<Rows> {
  const rows: Rows = {
    facility: [],
    telemedicine_link: [],
    village_access: [],
    assistance_point: [],
    assisted_booking_month: [],
  };
  const inScope = (code: string) => code.startsWith(prefix) || prefix.startsWith(code);
  for await (const a of readDivisions('areas')) {
    if (!inScope(a.code)) continue;
    const at = { village: null, region: a.code, location: a.code };
    facilityRow(
      seed,
      hospitalId(a.code, 1),
      `${a.name}人民医院`,
      FacilityLevel.COUNTY_HOSPITAL,
      at,
      rows,
      null,
    );
    facilityRow(
      seed,
      hospitalId(a.code, 2),
      `${a.name}中医院`,
      FacilityLevel.COUNTY_HOSPITAL,
      at,
      rows,
      null,
    );
  }
  for await (const s of readDivisions('streets')) {
    if (!s.code.startsWith(prefix)) continue;
    const name = s.name.endsWith('街道') ? `${s.name}社区卫生服务中心` : `${s.name}卫生院`;
    const at = { village: null, region: s.code, location: s.code };
    facilityRow(
      seed,
      centreId(s.code),
      name,
      FacilityLevel.TOWNSHIP_HEALTH_CENTRE,
      at,
      rows,
      hospitalId(s.areaCode, 1),
    );
  }
  const villages: Record<string, string>[] = [];
  const clinicsByTownship = new Map<string, string[]>();
  for await (const v of readDivisions('villages')) {
    if (!v.code.startsWith(prefix) || !isRuralVillageName(v.name)) continue;
    villages.push(v);
    if (rngFor(seed, `clinic:${v.code}`)() >= CLINIC_SHARE) continue;
    const id = `clinic-${v.code}`;
    const partner =
      rngFor(seed, `telemedicine:${id}`)() < 0.75
        ? centreId(v.streetCode)
        : hospitalId(v.areaCode, 1);
    const at = { village: v.code, region: v.streetCode, location: v.code };
    const f = facilityRow(
      seed,
      id,
      `${villageShortName(v.name)}卫生室`,
      FacilityLevel.VILLAGE_CLINIC,
      at,
      rows,
      partner,
    );
    const list = clinicsByTownship.get(v.streetCode) ?? [];
    list.push(id);
    clinicsByTownship.set(v.streetCode, list);
    if (
      f.acceptsOnlineAppointments &&
      rngFor(seed, `point:clinic:${v.code}`)() < CLINIC_POINT_SHARE
    ) {
      addPoint(
        seed,
        rows,
        v.code,
        `ap-clinic-${v.code}`,
        AssistancePointKind.VILLAGE_CLINIC,
        { facility_id: id },
        0.5,
      );
    }
  }
  for (const v of villages) {
    const own = `clinic-${v.code}`;
    const neighbours = clinicsByTownship.get(v.streetCode) ?? [];
    const hasOwn = neighbours.includes(own);
    const a = accessFigures(seed, v.code, hasOwn);
    const clinic = hasOwn
      ? own
      : (neighbours[Math.floor(a.neighbourPick * neighbours.length)] ?? null);
    rows.village_access.push({
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
      addPoint(
        seed,
        rows,
        v.code,
        `ap-aud-${v.code}`,
        AssistancePointKind.CULTURE_AUDITORIUM,
        { auditorium_id: auditoriumIdOf(v.code) },
        1,
        reported,
      );
    }
  }
  return rows;
}

function addPoint(
  seed: number,
  rows: Rows,
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
  rows.assistance_point.push({
    id,
    village_code: village,
    kind,
    auditorium_id: ref.auditorium_id ?? null,
    facility_id: ref.facility_id ?? null,
    helps_with: JSON.stringify(helpsWith),
    ...(reported ? BAOSHANQIAO_PROVENANCE : SYNTHETIC),
  });
  for (const m of monthlyCounts(seed, id, helpsWith, scale)) {
    rows.assisted_booking_month.push({
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

/**
 * Loads one scope all-or-nothing: deletes the scope's synthetic rows (a reseed with another
 * seed may pick other villages), upserts the new ones, keeps what data stewards reported, and
 * rebuilds the region rollups, in one transaction.
 */
export async function seedHealthcare(orm: Orm, opts: SeedOptions): Promise<SeedResult> {
  const em = orm.em.fork() as EntityManager;
  const prefix = scopePrefix(opts.scope);
  const rows = await buildRows(opts.seed, prefix);
  const like = `${prefix}%`;
  await em.getKnex().transaction(async (trx) => {
    const synthetic = ProvenanceKind.SYNTHETIC;
    // Opening hours set by a data steward survive a reseed.
    const kept = await trx('facility')
      .where('location_code', 'like', like)
      .whereNot('hours_provenance_kind', synthetic)
      .select(
        'id',
        'opening_hours',
        'hours_provenance_kind',
        'hours_provenance_source',
        'hours_provenance_as_of',
        'hours_provenance_note',
      );
    const keptById = new Map(kept.map((k: Row) => [k.id as string, k]));
    for (const f of rows.facility) {
      const k = keptById.get(f.id as string);
      if (k)
        Object.assign(f, k, {
          opening_hours:
            typeof k.opening_hours === 'string' ? k.opening_hours : JSON.stringify(k.opening_hours),
        });
    }
    await trx('telemedicine_link')
      .where('location_code', 'like', like)
      .andWhere('provenance_kind', synthetic)
      .delete();
    await trx('assisted_booking_month')
      .where('village_code', 'like', like)
      .andWhere('provenance_kind', synthetic)
      .delete();
    await trx('assistance_point')
      .where('village_code', 'like', like)
      .andWhere('provenance_kind', synthetic)
      .whereNotIn('id', trx('assisted_booking_month').select('point_id'))
      .delete();
    await trx('village_access').where('village_code', 'like', like).delete();
    await trx('facility')
      .where('location_code', 'like', like)
      .andWhere('level', FacilityLevel.VILLAGE_CLINIC)
      .andWhere('provenance_kind', synthetic)
      .delete();
    await upsertRows(trx, 'facility', rows.facility, ['id']);
    await upsertRows(trx, 'telemedicine_link', rows.telemedicine_link, [
      'facility_id',
      'partner_id',
    ]);
    await upsertRows(trx, 'village_access', rows.village_access, ['village_code']);
    await upsertRows(trx, 'assistance_point', rows.assistance_point, ['id']);
    // Months a steward reported are not overwritten by generated ones.
    const reportedMonths = new Set(
      (
        await trx('assisted_booking_month')
          .where('village_code', 'like', like)
          .select('point_id', 'month')
      ).map((r: Row) => `${r.point_id}|${r.month}`),
    );
    await upsertRows(
      trx,
      'assisted_booking_month',
      rows.assisted_booking_month.filter((r) => !reportedMonths.has(`${r.point_id}|${r.month}`)),
      ['point_id', 'month'],
    );
    await rebuildRegionRollups(trx);
  });
  return {
    rows: Object.fromEntries(Object.entries(rows).map(([t, list]) => [t, (list as Row[]).length])),
  };
}
