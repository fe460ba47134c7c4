import { Field, ID, InputType, Int } from 'type-graphql';
import { MonthField } from '../../shared/arguments.js';

@InputType({ description: 'Assisted online-service sessions of one month, by kind.' })
export class AssistedSessionsInput {
  @Field(() => Int, { description: 'Help booking doctor appointments online.' })
  medicalAppointment!: number;

  @Field(() => Int, { description: 'Help with online social-insurance services.' })
  socialInsurance!: number;

  @Field(() => Int, { description: 'Help with e-government services.' })
  eGovernment!: number;

  @Field(() => Int, { description: 'Other assisted online services.' })
  other!: number;
}

@InputType({
  description: "One month's usage of an auditorium; a later report for the same month replaces it.",
})
export class ReportAuditoriumUsageInput {
  @Field(() => ID, { description: 'The auditorium.' })
  auditoriumId!: string;

  @MonthField('reported')
  month!: string;

  @Field(() => Int, { description: 'Visits in the month (>= 0).' })
  visits!: number;

  @Field(() => Int, { description: 'Views or plays of digital resources (>= 0).' })
  resourceViews!: number;

  @Field(() => AssistedSessionsInput, { description: 'Assisted sessions by kind (each >= 0).' })
  assistedSessions!: AssistedSessionsInput;

  @Field(() => String, {
    nullable: true,
    description: 'Who reports the figures (e.g. a county culture bureau); stored as provenance.',
  })
  source?: string | null;
}
