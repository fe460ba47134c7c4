import type { Knex } from '@mikro-orm/knex';
import type { EntityManager } from '../../shared/database.js';
import { ProvenanceKind, SYNTHETIC_SOURCE, XINHUA_2021 } from '../../shared/provenance.js';
import { USAGE_SUM_COLUMNS, type UsageSums } from './usage-sums.js';

/** Region code lengths: province, city, county, township. Codes nest by prefix. */
export const REGION_LEVELS = [2, 4, 6, 9] as const;

export const SYNTHETIC_ROLLUP_NOTE =
  'Counted from synthetic auditorium records generated for demonstration.';
export const ZHEJIANG_ROLLUP_NOTE =
  'Reported: over 17,000 village culture auditoriums covering 91.3% of rural villages at the end ' +
  'of 2020. The underlying auditorium records are synthetic, calibrated so that their count ' +
  'and coverage match the reported figures. The digital-service hub count is counted from those ' +
  'records: the source reports that auditoriums act as hubs, not how many.';
export const ROLLUP_AS_OF = '2020-12-31';

/**
 * The codes of one level that a (re)load of `prefix` affects, as a LIKE pattern: the one
 * enclosing region for levels at or above the prefix, every region under it below.
 */
function levelPattern(prefix: string, level: number): string {
  return `${level <= prefix.length ? prefix.slice(0, level) : prefix}%`;
}

/**
 * Recomputes every rollup row that data loaded under `prefix` contributes to (its ancestors
 * and every region below it), with two statements per level and table: auditorium figures
 * from the base table, usage for townships from the base tables and above from the level below.
 * Runs inside the caller's transaction, so readers never see half-built rollups.
 */
export async function rebuildRollups(
  trx: Knex.Transaction,
  prefix: string,
  zhejiangCalibratedCoverage: number | null,
): Promise<void> {
  for (const level of REGION_LEVELS) {
    const pattern = levelPattern(prefix, level);
    await trx.raw('delete from region_culture_rollup where level = ? and region_code like ?', [
      level,
      pattern,
    ]);
    await trx.raw(
      `insert into region_culture_rollup (region_code, level, auditorium_count,
         rural_villages_covered, digital_service_hub_count, provenance_kind, provenance_source,
         provenance_as_of, provenance_note)
       select substr(village_code, 1, ${level}), ${level}, count(*), count(distinct village_code),
         sum(case when digital_service_hub then 1 else 0 end), ?, ?, ?, ?
       from auditorium where village_code like ? group by substr(village_code, 1, ${level})`,
      [ProvenanceKind.SYNTHETIC, SYNTHETIC_SOURCE, ROLLUP_AS_OF, SYNTHETIC_ROLLUP_NOTE, pattern],
    );
  }
  // Usage: townships from the base tables, each coarser level from the level below (a few
  // thousand rows instead of every auditorium-month again).
  const usageColumns = `region_code, month, level, reports, visits, resource_views,
    medical_appointment_sessions, social_insurance_sessions, e_government_sessions,
    other_assisted_sessions, events, event_attendance`;
  const finestFirst = [...REGION_LEVELS].reverse();
  for (const [i, level] of finestFirst.entries()) {
    const pattern = levelPattern(prefix, level);
    await trx.raw('delete from region_usage_rollup where level = ? and region_code like ?', [
      level,
      pattern,
    ]);
    if (i > 0) {
      await trx.raw(
        `insert into region_usage_rollup (${usageColumns})
         select substr(region_code, 1, ${level}), month, ${level}, sum(reports), sum(visits),
           sum(resource_views), sum(medical_appointment_sessions),
           sum(social_insurance_sessions), sum(e_government_sessions),
           sum(other_assisted_sessions), sum(events), sum(event_attendance)
         from region_usage_rollup where level = ? and region_code like ? group by 1, 2`,
        [finestFirst[i - 1], pattern],
      );
      continue;
    }
    await trx.raw(
      `insert into region_usage_rollup (${usageColumns})
       select substr(village_code, 1, ${level}), month, ${level}, count(*), sum(visits),
         sum(resource_views), sum(medical_appointment_sessions), sum(social_insurance_sessions),
         sum(e_government_sessions), sum(other_assisted_sessions), 0, 0
       from auditorium_usage where village_code like ? group by 1, 2`,
      [pattern],
    );
    await trx.raw(
      `insert into region_usage_rollup (${usageColumns})
       select substr(village_code, 1, ${level}), substr(date, 1, 7), ${level}, 0, 0, 0, 0, 0, 0,
         0, count(*), sum(attendance)
       from auditorium_event where village_code like ? group by 1, 2
       on conflict (region_code, month) do update
         set events = excluded.events, event_attendance = excluded.event_attendance`,
      [pattern],
    );
  }
  // Zhejiang's province figures are the reported ones when the records match their calibration.
  if (zhejiangCalibratedCoverage !== null) {
    await trx.raw(
      `update region_culture_rollup set provenance_kind = ?, provenance_source = ?,
         provenance_note = ? where region_code = '33' and rural_villages_covered = ?`,
      [ProvenanceKind.REPORTED, XINHUA_2021, ZHEJIANG_ROLLUP_NOTE, zhejiangCalibratedCoverage],
    );
  }
}

/**
 * Adds `delta` to the month's usage rollup of the village's four enclosing regions in one
 * statement, inside the caller's transaction (increments commute, so concurrent reports for
 * different auditoriums need no lock; the caller locks the auditorium for same-key reports).
 */
export async function applyUsageDelta(
  em: EntityManager,
  villageCode: string,
  month: string,
  delta: UsageSums,
): Promise<void> {
  // Codes and months are validated digits; deltas are integers: safe to inline.
  if (!/^\d{12}$/.test(villageCode) || !/^\d{4}-\d{2}$/.test(month)) {
    throw new Error('invalid rollup key');
  }
  const columns = USAGE_SUM_COLUMNS.map(([, c]) => c);
  const rows = REGION_LEVELS.map(
    (level) =>
      `('${villageCode.slice(0, level)}', '${month}', ${level}, ` +
      USAGE_SUM_COLUMNS.map(([k]) => Math.trunc(delta[k])).join(', ') +
      ')',
  );
  await em.execute(
    `insert into region_usage_rollup (region_code, month, level, ${columns.join(', ')})
     values ${rows.join(', ')}
     on conflict (region_code, month) do update set ${columns
       .map((c) => `${c} = region_usage_rollup.${c} + excluded.${c}`)
       .join(', ')}`,
  );
}
