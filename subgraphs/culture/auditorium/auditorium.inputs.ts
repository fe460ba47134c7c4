import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Connection, CountedConnection } from '../../shared/pagination.js';
import { AuditoriumEvent } from '../event/auditorium-event.entity.js';
import { Auditorium, AuditoriumService } from './auditorium.entity.js';

@InputType({ description: 'Filters for the auditoriums list; all given filters must match.' })
export class AuditoriumFilter {
  @Field(() => ID, {
    nullable: true,
    description: 'Code of an enclosing region (2, 4, 6 or 9 digits) or a 12-digit village code.',
  })
  regionCode?: string | null;

  // Demand control: services are a JSON array matched as text, so without a narrow region the
  // filter reads every auditorium (331,086 nationally, ~100 ms a statement, two with totalCount);
  // thirty aliased ones cost about 100 and kept culture busy 5.7 s (docs/security.md).
  @Directive('@cost(weight: 5000)')
  @Field(() => AuditoriumService, { nullable: true, description: 'Only auditoriums offering it.' })
  service?: AuditoriumService | null;

  // The hub flag has no index: without a narrow region it reads every auditorium (~50 ms a count).
  @Directive('@cost(weight: 2000)')
  @Field(() => Boolean, {
    nullable: true,
    description: 'Only hubs of digital public services (true) or only the others (false).',
  })
  digitalServiceHub?: boolean | null;
}

@ObjectType({ description: 'A page of auditoriums, ordered by id.' })
export class AuditoriumConnection extends CountedConnection(
  'Auditorium',
  Auditorium,
  'Number of auditoriums matching, over all pages.',
) {}

@ObjectType({ description: 'A page of events, newest first.' })
export class AuditoriumEventConnection extends Connection('AuditoriumEvent', AuditoriumEvent) {}

export { Int };
