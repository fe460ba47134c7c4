import type { GraphQLResolveInfo } from 'graphql';
import { Resolver } from 'type-graphql';
import { badUserInput } from '../../shared/errors.js';
import { recordChange } from '../../shared/changes.js';
import { WriteMutation, writeOnce } from '../../shared/write-once.js';
import { ProvenanceKind } from '../../shared/provenance.js';
import type { HealthcareContext } from '../context.js';
import {
  MAX_BOOKINGS_TOTAL,
  largestBookingWindow,
  applyBookingChange,
  type BookingMonth,
} from '../rollup/rollup.rebuild.js';
import {
  MAX_RANGE_MONTHS,
  count,
  id,
  month as monthArgument,
  text,
} from '../../shared/arguments.js';
import { takeTurns } from '../../shared/transaction.js';
import { AssistancePoint } from './assistance-point.entity.js';
import { AssistedBookingMonth } from './assisted-booking.entity.js';
import { ReportAssistedBookingsInput } from './assistance.inputs.js';

/** Any constant: with a province's code, the lock its booking reports take (below). */
const BOOKING_ROLLUP_LOCK = 7_106_020;

/** A point-month row as read back (64-bit counts may come as strings on PostgreSQL). */
interface StoredBookingMonth {
  doctor_appointments: number | string;
  test_results: number | string;
  insurance: number | string;
  provenance_kind: string;
}

@Resolver()
export class AssistanceMutationResolver {
  @WriteMutation(
    () => AssistedBookingMonth,
    'healthcare:write',
    ReportAssistedBookingsInput,
    "Records a month's assisted bookings at an assistance point (data stewards). A repeated " +
      'report for the same point and month replaces the earlier one; region rollups are ' +
      'updated in the same transaction.',
  )
  async reportAssistedBookings(
    input: ReportAssistedBookingsInput,
    ctx: HealthcareContext,
    info: GraphQLResolveInfo,
  ): Promise<AssistedBookingMonth> {
    id(input.pointId, 'input.pointId');
    const month = monthArgument(input.month, 'input.month');
    const counts = {
      doctor_appointments: count(input.doctorAppointments, 'input.doctorAppointments'),
      test_results: count(input.testResults, 'input.testResults'),
      insurance: count(input.insurance, 'input.insurance'),
    };
    const source = text(input.source, 'input.source', 500);
    // A refused total names the largest count of the report.
    const field = (
      [
        ['input.doctorAppointments', counts.doctor_appointments],
        ['input.testResults', counts.test_results],
        ['input.insurance', counts.insurance],
      ] as const
    ).reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    const point = await ctx.em.findOne(AssistancePoint, { id: input.pointId });
    if (!point) throw badUserInput('No assistance point has this id.', 'input.pointId');
    return writeOnce(ctx, info, AssistedBookingMonth, async (tem, trx) => {
      // The rollups of the point's regions are deleted and inserted again: on PostgreSQL two
      // reports in one province at once would both insert them (a duplicate key, a failed write),
      // so the reports of a province take turns. SQLite writes take turns already.
      await takeTurns(trx, BOOKING_ROLLUP_LOCK, Number(point.villageCode.slice(0, 2)));
      const row = (await trx('assisted_booking_month')
        .select('doctor_appointments', 'test_results', 'insurance', 'provenance_kind')
        .where({ point_id: point.id, month })
        .first()) as StoredBookingMonth | undefined;
      const previous = row && {
        doctor_appointments: Number(row.doctor_appointments),
        test_results: Number(row.test_results),
        insurance: Number(row.insurance),
        reported: row.provenance_kind !== ProvenanceKind.SYNTHETIC,
      };
      await trx('assisted_booking_month')
        .insert({
          point_id: point.id,
          month,
          village_code: point.villageCode,
          ...counts,
          provenance_kind: ProvenanceKind.REPORTED,
          provenance_source: source,
          provenance_as_of: month,
          provenance_note: 'Reported by a data steward.',
        })
        .onConflict(['point_id', 'month'])
        .merge();
      await applyBookingChange(trx, point.villageCode, month, previous, {
        ...counts,
        reported: true,
      });
      // The rollups are 64-bit; the API answers bookings as GraphQL Int, so a report that
      // raises a total past its range is refused here (rolling back) rather than failing
      // later reads. A report that lowers the figures is always taken.
      const total = (m: Omit<BookingMonth, 'reported'>) =>
        m.doctor_appointments + m.test_results + m.insurance;
      const raised = total(counts) > (previous ? total(previous) : 0);
      if (
        raised &&
        (await largestBookingWindow(trx, point.villageCode, month)) > MAX_BOOKINGS_TOTAL
      ) {
        throw badUserInput(
          `\`${field}\` would take the assisted bookings of province ` +
            `${point.villageCode.slice(0, 2)} over ${MAX_RANGE_MONTHS} months past ` +
            `${MAX_BOOKINGS_TOTAL}.`,
          field,
        );
      }
      // Last, in the same transaction (changes.ts).
      await recordChange(trx, { villageCode: point.villageCode, what: 'assistedBookings' });
      // Read in the transaction, so the stored result is what this write made.
      return tem.findOneOrFail(
        AssistedBookingMonth,
        { pointId: point.id, month },
        { refresh: true },
      );
    });
  }
}
