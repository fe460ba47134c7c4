import type { Knex } from '@mikro-orm/knex';
import type { GraphQLResolveInfo } from 'graphql';
import { randomUUID } from 'node:crypto';
import { Resolver } from 'type-graphql';
import { WriteMutation, writeOnce } from '../../shared/write-once.js';
import { recordChange } from '../../shared/changes.js';
import { ProvenanceKind, provenance } from '../../shared/provenance.js';
import { calendarDate, count, id, line, optionalText } from '../../shared/arguments.js';
import type { CultureContext } from '../context.js';
import { applyUsageDelta } from '../rollup/rollup.rebuild.js';
import { ZERO_USAGE_SUMS } from '../rollup/usage-sums.js';
import { STEWARD_SOURCE, lockAuditorium } from '../common/steward.js';
import { AuditoriumEvent } from './auditorium-event.entity.js';
import { RecordAuditoriumEventInput } from './auditorium-event.inputs.js';

/** Most people one event may report (a large festival). */
export const MAX_ATTENDANCE = 100_000;

@Resolver()
export class AuditoriumEventMutationResolver {
  @WriteMutation(
    () => AuditoriumEvent,
    'culture:write',
    RecordAuditoriumEventInput,
    'Records an event held at an auditorium; the month rollups of its regions change in the ' +
      'same transaction.',
  )
  async recordAuditoriumEvent(
    input: RecordAuditoriumEventInput,
    ctx: CultureContext,
    info: GraphQLResolveInfo,
  ): Promise<AuditoriumEvent> {
    id(input.auditoriumId, 'input.auditoriumId');
    const date = calendarDate(input.date, 'input.date');
    const title = line(input.title, 'input.title', 200);
    const attendance = count(input.attendance, 'input.attendance', MAX_ATTENDANCE);
    const source = optionalText(input.source, 'input.source', 200) ?? STEWARD_SOURCE;
    return writeOnce(ctx, info, AuditoriumEvent, async (tem) => {
      const auditorium = await lockAuditorium(tem, input.auditoriumId, {
        value: date,
        field: 'input.date',
      });
      const event = Object.assign(new AuditoriumEvent(), {
        id: `evt-${randomUUID()}`,
        auditoriumId: auditorium.id,
        villageCode: auditorium.village_code,
        date,
        title,
        type: input.type,
        attendance,
        provenance: provenance(ProvenanceKind.REPORTED, source, date),
      });
      await tem.execute(
        tem.getKnex()('auditorium_event').insert({
          id: event.id,
          auditorium_id: event.auditoriumId,
          village_code: event.villageCode,
          date: event.date,
          title: event.title,
          type: event.type,
          attendance: event.attendance,
          provenance_kind: event.provenance.kind,
          provenance_source: event.provenance.source,
          provenance_as_of: event.provenance.asOf,
          provenance_note: null,
        }),
      );
      await applyUsageDelta(tem, event.villageCode, event.date.slice(0, 7), {
        ...ZERO_USAGE_SUMS,
        events: 1,
        eventAttendance: event.attendance,
      });
      // Last, in the same transaction (changes.ts).
      await recordChange(tem.getTransactionContext<Knex.Transaction>()!, {
        villageCode: event.villageCode,
        what: 'auditoriumEvent',
      });
      return event;
    });
  }
}
