import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The culture subgraph owns auditoriums; this subgraph only points at one by its key
 * (`aud-<12-digit village code>`) and lets the gateway resolve the rest.
 */
@Directive('@key(fields: "id")')
@ObjectType({
  description:
    'A village culture auditorium (文化礼堂): a hub of culture and digital public services.',
})
export class Auditorium {
  @Field(() => ID, { description: 'Stable identifier of the auditorium.' })
  id!: string;
}

/** The culture subgraph's id of a village's auditorium (which may not exist there). */
export function auditoriumIdOf(villageCode: string): string {
  return `aud-${villageCode}`;
}
