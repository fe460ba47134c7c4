import type { Knex } from '@mikro-orm/knex';
import { recordChange } from '../../shared/changes.js';

/**
 * Records, for the change feed, that an enterprise changed through one of its stores (a store
 * registered for it, a store's sales that change its online revenue): the enterprise's own
 * village shows it (`Village.commerce.enterprises`), and it need not be the store's village.
 * An enterprise placed at a county only is recorded with that county's code. Nothing is recorded
 * when it stands in `storeVillage`, whose own change is recorded already.
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
  if (!at || at.village_code === storeVillage) return;
  if (at.village_code) await recordChange(trx, { villageCode: at.village_code, what });
  else if (at.county_code) await recordChange(trx, { regionCode: at.county_code, what });
}
