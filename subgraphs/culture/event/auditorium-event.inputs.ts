import { LocalDateScalar } from '../../shared/argument-guard.js';
import { Field, ID, InputType, Int } from 'type-graphql';
import { AuditoriumEventType } from './auditorium-event.entity.js';

@InputType({ description: 'An event held at an auditorium.' })
export class RecordAuditoriumEventInput {
  @Field(() => ID, { description: 'The auditorium it was held at.' })
  auditoriumId!: string;

  @Field(() => LocalDateScalar, {
    description: 'Day it was held (YYYY-MM-DD), not in the future.',
  })
  date!: string;

  @Field(() => String, { description: 'Title (1 to 200 characters).' })
  title!: string;

  @Field(() => AuditoriumEventType, { description: 'Kind of event.' })
  type!: AuditoriumEventType;

  @Field(() => Int, { description: 'Number of people who attended (>= 0).' })
  attendance!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Who reports the event (e.g. a county culture bureau); stored as provenance.',
  })
  source?: string | null;
}
