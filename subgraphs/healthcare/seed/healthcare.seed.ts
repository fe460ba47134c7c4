import type { EntityManager, Orm } from '../../shared/database.js';
import { scopePrefix } from '../../shared/divisions.js';
import { ProvenanceKind } from '../../shared/provenance.js';
import type { SeedOptions, SeedResult } from '../../shared/subgraph.js';
import { FacilityLevel } from '../facility/facility.entity.js';
import { rebuildRegionRollups } from '../region/rollup.js';
import { buildRows, type Row } from './rows.js';
import { upsertRows } from './upsert.js';

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
    // Opening hours set by a data steward survive a reseed (few rows: steward updates only;
    // not filtered by scope, since a township's county hospital stands outside it).
    const kept = await trx('facility')
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
