import { Entity } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import * as column from '../../shared/columns.js';

/** One month of assisted online bookings at one point: counts only, never who was helped. */
@ObjectType({
  description:
    'Counts of residents helped online at an assistance point in one month, by kind. ' +
    'Aggregates only: no information about any person.',
})
@Entity({ tableName: 'assisted_booking_month' })
export class AssistedBookingMonth {
  @column.Key('The assistance point.')
  pointId!: string;

  @column.Month({ field: true })
  month!: string;

  /** Denormalised village code: region rollups group by its prefixes. */
  @column.DivisionCode('village')
  villageCode!: string;

  @column.Integer('Doctor appointments booked online with help.')
  doctorAppointments!: number;

  @column.Integer('Test results looked up online with help.')
  testResults!: number;

  @column.Integer('Medical-insurance services done online with help.')
  insurance!: number;

  @column.Provenance('Where these counts come from.')
  provenance!: Provenance;
}
