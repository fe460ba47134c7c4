import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Info, Resolver } from 'type-graphql';
import { badUserInput } from '../../shared/errors.js';
import { WriteMutation, writeOnce } from '../../shared/write-once.js';
import { recordChange } from '../../shared/changes.js';
import { ProvenanceKind } from '../../shared/provenance.js';
import type { HealthcareContext } from '../context.js';
import { id, text } from '../../shared/arguments.js';
import { Facility } from './facility.entity.js';
import { UpdateFacilityOpeningHoursInput } from './facility.inputs.js';
import { parseOpeningHours } from './opening-hours.js';

@Resolver()
export class FacilityMutationResolver {
  @WriteMutation(
    () => Facility,
    'healthcare:write',
    "Replaces a facility's opening hours (data stewards). Opening hours do not enter any " +
      'region figure, so no rollup changes.',
  )
  async updateFacilityOpeningHours(
    @Arg('input', () => UpdateFacilityOpeningHoursInput) input: UpdateFacilityOpeningHoursInput,
    @Ctx() ctx: HealthcareContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Facility> {
    const hours = parseOpeningHours(input.openingHours, 'input.openingHours');
    id(input.facilityId, 'input.facilityId');
    const source = text(input.source, 'input.source', 500);
    return writeOnce(ctx, info, Facility, async (tem, trx) => {
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
  }
}
