import type { Knex } from '@mikro-orm/knex';
import { randomUUID } from 'node:crypto';
import type { GraphQLResolveInfo } from 'graphql';
import { Resolver } from 'type-graphql';
import { calendarDate, count, id, line, optionalText } from '../../shared/arguments.js';
import { villageCode } from '../../shared/division-codes.js';
import { badUserInput } from '../../shared/errors.js';
import { recordChange } from '../../shared/changes.js';
import { recordEnterpriseChange } from '../enterprise/enterprise.changes.js';
import { WriteMutation, writeOnce } from '../../shared/write-once.js';
import { villageInLoadedScope, type HeldScope } from '../../shared/loaded-scope.js';
import { ProvenanceKind } from '../../shared/provenance.js';
import type { CommerceContext } from '../context.js';
import { addStoreToRollups } from '../rollup/rollup.rebuild.js';
import { OnlineStore, StoreStatus } from './store.entity.js';
import { RegisterOnlineStoreInput } from './store.inputs.js';

export const STEWARD_SOURCE = 'Data steward report (commerce:write)';

/** Most jobs one store may report: the rollup totals of a region stay exact (docs/errors.md). */
export const MAX_STORE_JOBS = 10_000;

/** Optional free-text source of a report (absent: the steward), bounded like its column. */
export function reportSource(source: string | null | undefined): string {
  return optionalText(source, 'input.source', 500) ?? STEWARD_SOURCE;
}

/**
 * A registration checked by the shared argument rules, its village in the division list and in
 * a loaded scope (so places holds it: docs/data.md, "Cross-subgraph references").
 */
async function registration(input: RegisterOnlineStoreInput, scopes: HeldScope | Knex) {
  const name = line(input.name, 'input.name', 200);
  await villageCode(input.villageCode, 'input.villageCode');
  await villageInLoadedScope(scopes, input.villageCode, 'input.villageCode');
  calendarDate(input.openedOn, 'input.openedOn');
  count(input.jobs, 'input.jobs', MAX_STORE_JOBS);
  if (input.enterpriseId !== null && input.enterpriseId !== undefined) {
    id(input.enterpriseId, 'input.enterpriseId');
  }
  return { name, source: reportSource(input.source) };
}

@Resolver(() => OnlineStore)
export class StoreMutationResolver {
  @WriteMutation(
    () => OnlineStore,
    'commerce:write',
    RegisterOnlineStoreInput,
    'Registers an online store (active from its opening date) and updates the rollups of its village and regions in the same transaction.',
  )
  async registerOnlineStore(
    input: RegisterOnlineStoreInput,
    ctx: CommerceContext,
    info: GraphQLResolveInfo,
  ): Promise<OnlineStore> {
    const { name, source } = await registration(input, ctx.heldScope ?? ctx.em.getKnex());
    const id = `store-${randomUUID().replaceAll('-', '')}`;
    return writeOnce(ctx, info, OnlineStore, async (tem, trx) => {
      if (input.enterpriseId) {
        const known = await trx('enterprise').select('id').where('id', input.enterpriseId).first();
        if (!known)
          throw badUserInput('input.enterpriseId is not a known enterprise.', 'input.enterpriseId');
      }
      await trx('online_store').insert({
        id,
        name,
        village_code: input.villageCode,
        platform: input.platform,
        category: input.category,
        opened_on: input.openedOn,
        status: StoreStatus.ACTIVE,
        jobs: input.jobs,
        enterprise_id: input.enterpriseId ?? null,
        provenance_kind: ProvenanceKind.REPORTED,
        provenance_source: source,
        provenance_as_of: input.openedOn,
        provenance_note: null,
      });
      await addStoreToRollups(trx, input);
      // Last, in the same transaction (changes.ts).
      await recordChange(trx, { villageCode: input.villageCode, what: 'onlineStore' });
      if (input.enterpriseId) {
        await recordEnterpriseChange(trx, input.enterpriseId, input.villageCode, 'onlineStore');
      }
      // Read in the transaction, so the stored result is what this write made.
      return tem.findOneOrFail(OnlineStore, { id });
    });
  }
}
