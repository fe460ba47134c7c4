import { Args, Ctx, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { ConnectionField, Connection, PageArgs, listPage } from '../../shared/pagination.js';
import type { HealthcareContext } from '../context.js';
import { Facility } from '../facility/facility.entity.js';
import { EARLIEST_MONTH, currentMonth, monthRange, MonthArg } from '../../shared/arguments.js';
import { AssistancePoint, AssistancePointKind } from './assistance-point.entity.js';
import { AssistedBookingMonth } from './assisted-booking.entity.js';
import { Auditorium } from './auditorium.reference.js';
import { ByIdQuery } from '../../shared/by-id.js';

@ObjectType({ description: 'A page of monthly assisted-booking counts, oldest month first.' })
export class AssistedBookingMonthConnection extends Connection(
  'AssistedBookingMonth',
  AssistedBookingMonth,
) {}

@Resolver(() => AssistancePoint)
export class AssistancePointResolver {
  @ByIdQuery(() => AssistancePoint, 'An assistance point by id.')
  assistancePoint(id: string, ctx: HealthcareContext) {
    return ctx.loaders.pointById.load(id);
  }

  @FieldResolver(() => Auditorium, {
    nullable: true,
    description:
      'The culture auditorium where help is given (kind CULTURE_AUDITORIUM), resolved by the ' +
      "culture subgraph: the village's own, or, for a village without one, that of a nearby " +
      'village of the same township or county. Null if the culture subgraph does not hold it ' +
      '(`npm run check:references` reports such references).',
  })
  auditorium(@Root() point: AssistancePoint): Auditorium | null {
    if (point.kind !== AssistancePointKind.CULTURE_AUDITORIUM || !point.auditoriumId) return null;
    return Object.assign(new Auditorium(), { id: point.auditoriumId });
  }

  @FieldResolver(() => Facility, {
    nullable: true,
    description: 'The clinic where help is given (kind VILLAGE_CLINIC).',
  })
  facility(@Root() point: AssistancePoint, @Ctx() ctx: HealthcareContext) {
    return point.facilityId ? ctx.loaders.facilityById.load(point.facilityId) : null;
  }

  @ConnectionField(
    () => AssistedBookingMonthConnection,
    'Monthly counts of assisted bookings in a month range, oldest first.',
  )
  async assistedBookings(
    @Root() point: AssistancePoint,
    @MonthArg('from', { nullable: true })
    from: string | null,
    @MonthArg('to', { nullable: true })
    to: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: HealthcareContext,
  ) {
    const { cursor, connection } = listPage(
      page,
      'AssistancePoint.assistedBookings',
      point.id,
      from,
      to,
    );
    const range = monthRange(from ?? EARLIEST_MONTH, to ?? currentMonth(), { bounded: false });
    // Per point the months are few (one row a month), so the page is cut in memory.
    const months = await ctx.loaders.bookingsByPoint(range).load(point.id);
    const rest = cursor ? months.filter((m) => m.month > cursor) : months;
    return connection(rest, (m) => m.month);
  }
}

@Resolver(() => AssistedBookingMonth)
export class AssistedBookingMonthResolver {
  @FieldResolver(() => Int, { description: 'All assisted bookings of the month.' })
  total(@Root() m: AssistedBookingMonth): number {
    return m.doctorAppointments + m.testResults + m.insurance;
  }
}
