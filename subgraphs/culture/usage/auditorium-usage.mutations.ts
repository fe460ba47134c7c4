import type { Knex } from '@mikro-orm/knex';
import type { GraphQLResolveInfo } from 'graphql';
import { Resolver } from 'type-graphql';
import { WriteMutation, writeOnce } from '../../shared/write-once.js';
import { recordChange } from '../../shared/changes.js';
import { ProvenanceKind, provenance } from '../../shared/provenance.js';
import { count, id, month, optionalText } from '../../shared/arguments.js';
import type { CultureContext } from '../context.js';
import { applyUsageDelta } from '../rollup/rollup.rebuild.js';
import { ZERO_USAGE_SUMS } from '../rollup/usage-sums.js';
import { AuditoriumMonthlyUsage } from './auditorium-usage.entity.js';
import { ReportAuditoriumUsageInput } from './auditorium-usage.inputs.js';
import { STEWARD_SOURCE, lockAuditorium } from '../common/steward.js';

/** The report checked by the shared argument rules; `source` trimmed (absent: the steward). */
function validate(input: ReportAuditoriumUsageInput): ReportAuditoriumUsageInput {
  id(input.auditoriumId, 'input.auditoriumId');
  month(input.month, 'input.month');
  count(input.visits, 'input.visits');
  count(input.resourceViews, 'input.resourceViews');
  for (const kind of ['medicalAppointment', 'socialInsurance', 'eGovernment', 'other'] as const) {
    count(input.assistedSessions[kind], `input.assistedSessions.${kind}`);
  }
  return { ...input, source: optionalText(input.source, 'input.source', 200) };
}

@Resolver()
export class AuditoriumUsageMutationResolver {
  @WriteMutation(
    () => AuditoriumMonthlyUsage,
    'culture:write',
    ReportAuditoriumUsageInput,
    "Reports an auditorium's usage for a month. A repeated report for the same auditorium " +
      'and month replaces the earlier one; region rollups change in the same transaction.',
  )
  async reportAuditoriumUsage(
    input: ReportAuditoriumUsageInput,
    ctx: CultureContext,
    info: GraphQLResolveInfo,
  ): Promise<AuditoriumMonthlyUsage> {
    input = validate(input);
    return writeOnce(ctx, info, AuditoriumMonthlyUsage, async (tem) => {
      const auditorium = await lockAuditorium(tem, input.auditoriumId, {
        value: input.month,
        field: 'input.month',
      });
      const [previous] = (await tem.execute(
        tem
          .getKnex()('auditorium_usage')
          .select('*')
          .where({ auditorium_id: auditorium.id, month: input.month }),
      )) as Record<string, number>[];
      const s = input.assistedSessions;
      const row = {
        auditorium_id: auditorium.id,
        month: input.month,
        village_code: auditorium.village_code,
        visits: input.visits,
        resource_views: input.resourceViews,
        medical_appointment_sessions: s.medicalAppointment,
        social_insurance_sessions: s.socialInsurance,
        e_government_sessions: s.eGovernment,
        other_assisted_sessions: s.other,
        provenance_kind: ProvenanceKind.REPORTED,
        provenance_source: input.source ?? STEWARD_SOURCE,
        provenance_as_of: input.month,
        provenance_note: null,
      };
      await tem.execute(
        tem
          .getKnex()('auditorium_usage')
          .insert(row)
          .onConflict(['auditorium_id', 'month'])
          .merge(),
      );
      const was = (column: string) => Number(previous?.[column] ?? 0);
      await applyUsageDelta(tem, auditorium.village_code, input.month, {
        ...ZERO_USAGE_SUMS,
        reports: previous ? 0 : 1,
        visits: row.visits - was('visits'),
        resourceViews: row.resource_views - was('resource_views'),
        medicalAppointmentSessions: s.medicalAppointment - was('medical_appointment_sessions'),
        socialInsuranceSessions: s.socialInsurance - was('social_insurance_sessions'),
        eGovernmentSessions: s.eGovernment - was('e_government_sessions'),
        otherAssistedSessions: s.other - was('other_assisted_sessions'),
      });
      // Last, in the same transaction (changes.ts).
      await recordChange(tem.getTransactionContext<Knex.Transaction>()!, {
        villageCode: auditorium.village_code,
        what: 'auditoriumUsage',
      });
      return Object.assign(new AuditoriumMonthlyUsage(), {
        auditoriumId: row.auditorium_id,
        month: row.month,
        villageCode: row.village_code,
        visits: row.visits,
        resourceViews: row.resource_views,
        medicalAppointmentSessions: s.medicalAppointment,
        socialInsuranceSessions: s.socialInsurance,
        eGovernmentSessions: s.eGovernment,
        otherAssistedSessions: s.other,
        provenance: provenance(ProvenanceKind.REPORTED, row.provenance_source, input.month),
      });
    });
  }
}
