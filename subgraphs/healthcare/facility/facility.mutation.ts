import type { Knex } from '@mikro-orm/knex';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Directive, Info, Mutation, Resolver } from 'type-graphql';
import { badUserInput } from '../../shared/errors.js';
import { codecOf, keyedWrite, once } from '../../shared/idempotency.js';
import { recordChange } from '../../shared/changes.js';
import { ProvenanceKind } from '../../shared/provenance.js';
import { requireWriter } from '../../shared/identity.js';
import type { HealthcareContext } from '../context.js';
import { id, text } from '../../shared/arguments.js';
import { Facility } from './facility.entity.js';
import { UpdateFacilityOpeningHoursInput } from './facility.inputs.js';
import { parseOpeningHours } from './opening-hours.js';

@Resolver()
export class FacilityMutationResolver {
  @Directive('@requiresScopes(scopes: [["healthcare:write"]])')
  @Mutation(() => Facility, {
    description:
      "Replaces a facility's opening hours (data stewards). Opening hours do not enter any " +
      'region figure, so no rollup changes.',
  })
  async updateFacilityOpeningHours(
    @Arg('input', () => UpdateFacilityOpeningHoursInput) input: UpdateFacilityOpeningHoursInput,
    @Ctx() ctx: HealthcareContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Facility> {
    requireWriter(ctx, 'healthcare:write');
    const hours = parseOpeningHours(input.openingHours, 'input.openingHours');
    id(input.facilityId, 'input.facilityId');
    const source = text(input.source, 'input.source', 500);
    const keyed = keyedWrite(ctx, info);
    return ctx.em.transactional(async (tem) => {
      const trx = tem.getTransactionContext<Knex.Transaction>()!;
      return once(trx, keyed, codecOf(Facility), async () => {
        const updated = await trx('facility')
          .where('id', input.facilityId)
          .update({
            opening_hours: JSON.stringify(hours),
            hours_provenance_kind: ProvenanceKind.REPORTED,
            hours_provenance_source: source,
            hours_provenance_as_of: new Date().toISOString().slice(0, 10),
            hours_provenance_note: 'Updated by a data steward.',
          });
        if (Number(updated) === 0) {
          throw badUserInput('No facility has this id.', 'input.facilityId');
        }
        // Read in the transaction, so the stored result is what this write made.
        const facility = await tem.findOneOrFail(
          Facility,
          { id: input.facilityId },
          { refresh: true },
        );
        // Last, in the same transaction (changes.ts).
        await recordChange(trx, {
          villageCode: facility.villageCode,
          regionCode: facility.regionCode,
          what: 'facilityOpeningHours',
        });
        return facility;
      });
    });
  }
}
