import { Arg, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import { badUserInput } from '../../shared/errors.js';
import { ProvenanceKind } from '../../shared/provenance.js';
import { requireWriter } from '../../shared/identity.js';
import type { HealthcareContext } from '../context.js';
import { parseText } from '../validation.js';
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
  ): Promise<Facility> {
    requireWriter(ctx, 'healthcare:write');
    const hours = parseOpeningHours(input.openingHours, 'input.openingHours');
    const source = parseText(input.source, 'input.source', 500);
    const knex = ctx.em.getKnex();
    const updated: number = await knex.transaction(async (trx) =>
      Number(
        await trx('facility')
          .where('id', input.facilityId)
          .update({
            opening_hours: JSON.stringify(hours),
            hours_provenance_kind: ProvenanceKind.REPORTED,
            hours_provenance_source: source,
            hours_provenance_as_of: new Date().toISOString().slice(0, 10),
            hours_provenance_note: 'Updated by a data steward.',
          }),
      ),
    );
    if (updated === 0) throw badUserInput('No facility has this id.', 'input.facilityId');
    const facility = await ctx.em.findOne(Facility, { id: input.facilityId }, { refresh: true });
    return facility!;
  }
}
