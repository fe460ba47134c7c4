import type { Knex } from '@mikro-orm/knex';
import type { GraphQLResolveInfo } from 'graphql';
import { Resolver } from 'type-graphql';
import { badUserInput } from '../../shared/errors.js';
import { WriteMutation, writeOnce } from '../../shared/write-once.js';
import { recordChange } from '../../shared/changes.js';
import { ProvenanceKind } from '../../shared/provenance.js';
import type { HealthcareContext } from '../context.js';
import { id, text } from '../../shared/arguments.js';
import { Facility } from './facility.entity.js';
import { UpdateFacilityOpeningHoursInput } from './facility.inputs.js';
import { parseOpeningHours } from './opening-hours.js';

/** The villages whose profile shows this facility as their nearest clinic, centre or hospital. */
async function villagesNearest(trx: Knex.Transaction, facilityId: string): Promise<string[]> {
  const rows = (await trx('village_access')
    .select('village_code')
    .where('nearest_clinic_id', facilityId)
    .union((q) =>
      q
        .select('village_code')
        .from('village_access')
        .where('nearest_township_centre_id', facilityId),
    )
    .union((q) =>
      q
        .select('village_code')
        .from('village_access')
        .where('nearest_county_hospital_id', facilityId),
    )) as { village_code: string }[];
  return rows.map((r) => r.village_code).sort();
}

@Resolver()
export class FacilityMutationResolver {
  @WriteMutation(
    () => Facility,
    'healthcare:write',
    UpdateFacilityOpeningHoursInput,
    "Replaces a facility's opening hours (data stewards). Opening hours do not enter any " +
      'region figure, so no rollup changes.',
  )
  async updateFacilityOpeningHours(
    input: UpdateFacilityOpeningHoursInput,
    ctx: HealthcareContext,
    info: GraphQLResolveInfo,
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
      // Last, in the same transaction (changes.ts): the facility's own village (or its region,
      // for a township health centre or a county hospital, whose villages a partner exports
      // again), and every other village that shows it as its nearest facility of a level.
      const what = 'facilityOpeningHours';
      const nearest = await villagesNearest(trx, facility.id);
      await recordChange(
        trx,
        { villageCode: facility.villageCode, regionCode: facility.regionCode, what },
        ...nearest
          .filter((v) =>
            facility.villageCode ? v !== facility.villageCode : !v.startsWith(facility.regionCode),
          )
          .map((villageCode) => ({ villageCode, what })),
      );
      return facility;
    });
  }
}
