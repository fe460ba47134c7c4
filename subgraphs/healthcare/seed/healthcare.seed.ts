import type { Knex } from 'knex';
import type { Orm } from '../../shared/database.js';
import { scopePrefix } from '../../shared/divisions.js';
import { ProvenanceKind } from '../../shared/provenance.js';
import { loadScope, syntheticRowsOf } from '../../shared/seed-load.js';
import type { SeedOptions, SeedResult } from '../../shared/subgraph.js';
import { FacilityLevel } from '../facility/facility.entity.js';
import { rebuildRegionRollups } from '../rollup/rollup.rebuild.js';
import { generateRows, type Row, type Table } from './rows.js';

/** Conflict keys of the tables the seeder writes, in the order of the summary. */
const TABLE_KEYS: Record<Table, string[]> = {
  facility: ['id'],
  telemedicine_link: ['facility_id', 'partner_id'],
  village_access: ['village_code'],
  assistance_point: ['id'],
  assisted_booking_month: ['point_id', 'month'],
};

/**
 * Loads one scope all-or-nothing: deletes the scope's synthetic rows (a reseed with another
 * seed may pick other villages), streams the new ones through the shared bulk writers, keeps
 * what data stewards reported, and rebuilds the region rollups, in one transaction.
 */
export function seedHealthcare(orm: Orm, opts: SeedOptions): Promise<SeedResult> {
  return loadScope(orm, opts, {
    tables: TABLE_KEYS,
    clear: deleteSyntheticRows,
    write: (out, { keptHours, reportedMonths }, tick) =>
      generateRows(
        opts.seed,
        scopePrefix(opts.scope),
        (table, row) => {
          if (table === 'facility') {
            // Opening hours set by a data steward survive a reseed.
            const k = keptHours.get(row.id as string);
            if (k)
              Object.assign(row, k, {
                opening_hours:
                  typeof k.opening_hours === 'string'
                    ? k.opening_hours
                    : JSON.stringify(k.opening_hours),
              });
          }
          // Months a steward reported are not overwritten by generated ones.
          if (
            table === 'assisted_booking_month' &&
            reportedMonths.has(`${String(row.point_id)}|${String(row.month)}`)
          )
            return undefined;
          return out.push(table, row);
        },
        tick,
      ),
    rebuild: rebuildRegionRollups,
  });
}

/**
 * Removes the scope's synthetic rows and returns what stewards reported that the new rows must
 * not overwrite: opening hours (few rows; not filtered by scope, since a township's county
 * hospital stands outside it) and reported months of the scope.
 */
async function deleteSyntheticRows(
  trx: Knex.Transaction,
  prefix: string,
): Promise<{ keptHours: Map<string, Row>; reportedMonths: Set<string> }> {
  const synthetic = ProvenanceKind.SYNTHETIC;
  const like = `${prefix}%`;
  const kept: Row[] = await trx('facility')
    .whereNot('hours_provenance_kind', synthetic)
    .select(
      'id',
      'opening_hours',
      'hours_provenance_kind',
      'hours_provenance_source',
      'hours_provenance_as_of',
      'hours_provenance_note',
    );
  await syntheticRowsOf(trx, 'telemedicine_link', prefix, 'location_code').delete();
  await syntheticRowsOf(trx, 'assisted_booking_month', prefix).delete();
  // What is left of the scope's months after that delete is what stewards reported.
  const reported: Row[] = await trx('assisted_booking_month')
    .where('village_code', 'like', like)
    .select('point_id', 'month');
  await syntheticRowsOf(trx, 'assistance_point', prefix)
    .whereNotIn(
      'id',
      reported.map((r) => r.point_id as string),
    )
    .delete();
  await trx('village_access').where('village_code', 'like', like).delete();
  await syntheticRowsOf(trx, 'facility', prefix, 'location_code')
    .andWhere('level', FacilityLevel.VILLAGE_CLINIC)
    .delete();
  return {
    keptHours: new Map(kept.map((k) => [k.id as string, k])),
    reportedMonths: new Set(reported.map((r) => `${String(r.point_id)}|${String(r.month)}`)),
  };
}
