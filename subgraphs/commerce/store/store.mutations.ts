import type { Knex } from '@mikro-orm/knex';
import { randomUUID } from 'node:crypto';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Directive, Info, Mutation, Resolver } from 'type-graphql';
import { badUserInput } from '../../shared/errors.js';
import { codecOf, keyedWrite, once } from '../../shared/idempotency.js';
import { ProvenanceKind } from '../../shared/provenance.js';
import { requireWriter } from '../../shared/identity.js';
import type { CommerceContext } from '../context.js';
import { addStoreToRollups } from '../rollup/rollup.rebuild.js';
import { OnlineStore, StoreStatus } from './store.entity.js';
import { RegisterOnlineStoreInput } from './store.inputs.js';

export const STEWARD_SOURCE = 'Data steward report (commerce:write)';

/** Optional free-text source of a report, bounded like the provenance column. */
export function reportSource(source: string | null | undefined): string {
  const text = source?.trim() || STEWARD_SOURCE;
  if (text.length > 500)
    throw badUserInput('input.source is longer than 500 characters.', 'input.source');
  return text;
}

@Resolver(() => OnlineStore)
export class StoreMutationResolver {
  @Directive('@requiresScopes(scopes: [["commerce:write"]])')
  @Mutation(() => OnlineStore, {
    description:
      'Registers an online store (active from its opening date) and updates the rollups of its village and regions in the same transaction.',
  })
  async registerOnlineStore(
    @Arg('input', () => RegisterOnlineStoreInput) input: RegisterOnlineStoreInput,
    @Ctx() ctx: CommerceContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<OnlineStore> {
    requireWriter(ctx, 'commerce:write');
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200) {
      throw badUserInput('input.name must have 1 to 200 characters.', 'input.name');
    }
    if (!/^\d{12}$/.test(input.villageCode)) {
      throw badUserInput('input.villageCode must be a 12-digit village code.', 'input.villageCode');
    }
    if (input.openedOn > new Date().toISOString().slice(0, 10)) {
      throw badUserInput('input.openedOn must not be in the future.', 'input.openedOn');
    }
    if (input.jobs < 0) throw badUserInput('input.jobs must not be negative.', 'input.jobs');
    const source = reportSource(input.source);
    const id = `store-${randomUUID().replaceAll('-', '')}`;
    const keyed = keyedWrite(ctx, info);
    return ctx.em.transactional(async (tem) => {
      const trx = tem.getTransactionContext<Knex.Transaction>()!;
      return once(trx, keyed, codecOf(OnlineStore), async () => {
        if (input.enterpriseId) {
          const known = await trx('enterprise')
            .select('id')
            .where('id', input.enterpriseId)
            .first();
          if (!known)
            throw badUserInput(
              'input.enterpriseId is not a known enterprise.',
              'input.enterpriseId',
            );
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
        // Read in the transaction, so the stored result is what this write made.
        return tem.findOneOrFail(OnlineStore, { id });
      });
    });
  }
}
