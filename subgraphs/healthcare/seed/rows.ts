/** The rows the seeder writes for one scope (see README: Synthetic assumptions). */
import { isRuralVillageName, readDivisions, villageShortName } from '../../shared/divisions.js';
import { ProvenanceKind, SYNTHETIC_SOURCE } from '../../shared/provenance.js';
import { auditoriumCoverage, rngFor } from '../../shared/synthetic.js';
import { AssistancePointKind } from '../assistance/assistance-point.entity.js';
import { FacilityLevel } from '../facility/facility.entity.js';
import { CLINIC_POINT_SHARE, CLINIC_SHARE, SYNTHETIC_AS_OF, facilityFigures } from './model.js';

import { addPoint, countyAccess, type Township } from './access-rows.js';
import { SYNTHETIC, centreId, hospitalId, type Emit } from './row-types.js';
export type { Emit, Row, Table } from './row-types.js';

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
      await addPoint(seed, emit, v.code, AssistancePointKind.VILLAGE_CLINIC, id);
    }
  }
  if (townships.length > 0) await countyAccess(seed, prefix, townships, auditoriums, emit);
}
