import type { Knex } from '@mikro-orm/knex';
import { recordChange } from '../../shared/changes.js';

/**
 * Records, for the change feed, that an enterprise changed through one of its stores (a store
 * registered for it, a store's sales that change its online revenue): the enterprise's own
 * village shows it (`Village.commerce.enterprises`), and it need not be the store's village.
 * An enterprise placed at a county only is recorded with that county's code. So does every
 * village with a store of the enterprise (`stores { … enterprise { stores years } }`): a store
 * registered in another village, or the sales of one there, change what they show too. Nothing
 * is recorded for `storeVillage`, whose own change is recorded already, nor for a village of
 * the county recorded.
 */
export async function recordEnterpriseChange(
  trx: Knex.Transaction,
  enterpriseId: string,
  storeVillage: string,
  what: string,
): Promise<void> {
  const at = (await trx('enterprise')
    .select('village_code', 'county_code')
    .where('id', enterpriseId)
    .first()) as { village_code: string | null; county_code: string | null } | undefined;
  if (!at) return;
  const storeVillages = (await trx('online_store')
    .distinct('village_code')
    .where('enterprise_id', enterpriseId)
    .orderBy('village_code')) as { village_code: string }[];
  const county = at.village_code ? null : at.county_code;
  const villages = new Set<string>();
  if (at.village_code) villages.add(at.village_code);
  for (const { village_code: v } of storeVillages) {
    if (!county || !v.startsWith(county)) villages.add(v);
  }
  villages.delete(storeVillage);
  const changes = [
    ...(county ? [{ regionCode: county, what }] : []),
    ...[...villages].map((villageCode) => ({ villageCode, what })),
  ];
  if (changes.length > 0) await recordChange(trx, changes[0], ...changes.slice(1));
}
