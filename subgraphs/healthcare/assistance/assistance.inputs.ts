import { Field, ID, InputType, Int } from 'type-graphql';
import { MonthField } from '../../shared/arguments.js';

@InputType({
  description:
    "One month's assisted bookings at one assistance point: counts only, never who was helped.",
})
export class ReportAssistedBookingsInput {
  @Field(() => ID, { description: 'The assistance point.' })
  pointId!: string;

  @MonthField('reported')
  month!: string;

  @Field(() => Int, { description: 'Doctor appointments booked online with help (≥ 0).' })
  doctorAppointments!: number;

  @Field(() => Int, { description: 'Test results looked up online with help (≥ 0).' })
  testResults!: number;

  @Field(() => Int, { description: 'Medical-insurance services done online with help (≥ 0).' })
  insurance!: number;

  @Field(() => String, {
    description: 'Who reported the counts (e.g. the township health centre), kept as provenance.',
  })
  source!: string;
}
