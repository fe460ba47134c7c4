import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import { MonthField } from '../../shared/arguments.js';
import { DivisionCodeColumn, KeyColumn, ProvenanceColumns } from '../../shared/columns.js';

/** One month of assisted online bookings at one point: counts only, never who was helped. */
@ObjectType({
  description:
    'Counts of residents helped online at an assistance point in one month, by kind. ' +
    'Aggregates only: no information about any person.',
})
@Entity({ tableName: 'assisted_booking_month' })
export class AssistedBookingMonth {
  @KeyColumn('The assistance point.')
  pointId!: string;

  @MonthField('month')
  @PrimaryKey({ type: 'string', length: 7 })
  month!: string;

  /** Denormalised village code: region rollups group by its prefixes. */
  @DivisionCodeColumn('village')
  villageCode!: string;

  @Field(() => Int, { description: 'Doctor appointments booked online with help.' })
  @Property({ type: 'integer' })
  doctorAppointments!: number;

  @Field(() => Int, { description: 'Test results looked up online with help.' })
  @Property({ type: 'integer' })
  testResults!: number;

  @Field(() => Int, { description: 'Medical-insurance services done online with help.' })
  @Property({ type: 'integer' })
  insurance!: number;

  @ProvenanceColumns('Where these counts come from.')
  provenance!: Provenance;
}
