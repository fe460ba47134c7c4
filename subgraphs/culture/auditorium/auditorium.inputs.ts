import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
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

  @Field(() => AuditoriumService, { nullable: true, description: 'Only auditoriums offering it.' })
  service?: AuditoriumService | null;

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
