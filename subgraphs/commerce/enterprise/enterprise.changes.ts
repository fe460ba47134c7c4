import type { Knex } from '@mikro-orm/knex';
import { recordChange } from '../../shared/changes.js';

interface Placed {
  village_code: string | null;
  county_code: string | null;
  park_id: string | null;
}

/**
 * Records, for the change feed, that an enterprise changed through one of its stores (a store
 * registered for it, a store's sales that change its online revenue). A village's profile shows
 * an enterprise where the enterprise is the village's own (`commerce.enterprises`), where one of
 * the village's stores is the enterprise's (`commerce.stores … enterprise`), and, through its
 * park (`… enterprise { park { enterprises } }`), where either holds for another enterprise of
 * the same park: each such village is recorded, and an enterprise placed at a county only by
 * that county's code (its villages are exported again as a region). Nothing is recorded for
 * `storeVillage`, whose own change is recorded already, nor for a village of a county recorded.
 * Called after that change is recorded: the outbox lock it holds until commit makes a store
 * registered for one of these enterprises at the same time commit either before the reads here
 * (its village is named) or after this write (its own change names the villages then).
 */
export async function recordEnterpriseChange(
  trx: Knex.Transaction,
  enterpriseId: string,
  storeVillage: string,
  what: string,
): Promise<void> {
  const at = (await trx('enterprise')
    .select('village_code', 'county_code', 'park_id')
    .where('id', enterpriseId)
    .first()) as Placed | undefined;
  if (!at) return;
  const shown = (
    at.park_id
      ? await trx('enterprise')
          .select('id', 'village_code', 'county_code')
          .where('park_id', at.park_id)
      : [{ id: enterpriseId, ...at }]
  ) as (Placed & { id: string })[];
  const storeVillages = (await trx('online_store')
    .distinct('village_code')
    .whereIn(
      'enterprise_id',
      shown.map((e) => e.id),
    )
    .orderBy('village_code')) as { village_code: string }[];
  const counties = [
    ...new Set(shown.filter((e) => !e.village_code && e.county_code).map((e) => e.county_code!)),
  ].sort();
  const villages = new Set<string>();
  for (const v of [
    ...shown.map((e) => e.village_code).filter((v): v is string => !!v),
    ...storeVillages.map((s) => s.village_code),
  ].sort()) {
    if (!counties.some((c) => v.startsWith(c))) villages.add(v);
  }
  villages.delete(storeVillage);
  const changes = [
    ...counties.map((regionCode) => ({ regionCode, what })),
    ...[...villages].map((villageCode) => ({ villageCode, what })),
  ];
  if (changes.length > 0) await recordChange(trx, changes[0], ...changes.slice(1));
}
