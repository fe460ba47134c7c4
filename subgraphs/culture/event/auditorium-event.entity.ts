import { Embedded, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { LocalDateScalar } from '../../shared/argument-guard.js';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';

export enum AuditoriumEventType {
  PERFORMANCE = 'PERFORMANCE',
  LECTURE = 'LECTURE',
  READING_SESSION = 'READING_SESSION',
  DIALECT_CLASS = 'DIALECT_CLASS',
  TRADITIONAL_CULTURE_CLASS = 'TRADITIONAL_CULTURE_CLASS',
  DIGITAL_SKILLS_TRAINING = 'DIGITAL_SKILLS_TRAINING',
  E_COMMERCE_TRAINING = 'E_COMMERCE_TRAINING',
  FESTIVAL_CELEBRATION = 'FESTIVAL_CELEBRATION',
  PUBLIC_SERVICE_DAY = 'PUBLIC_SERVICE_DAY',
}

registerEnumType(AuditoriumEventType, {
  name: 'AuditoriumEventType',
  description: 'Kind of event held at a culture auditorium.',
  valuesConfig: {
    PERFORMANCE: { description: 'Opera, music or dance performance.' },
    LECTURE: { description: 'Lecture or talk.' },
    READING_SESSION: { description: 'Shared reading.' },
    DIALECT_CLASS: { description: 'Dialect class.' },
    TRADITIONAL_CULTURE_CLASS: { description: 'Class on traditional culture.' },
    DIGITAL_SKILLS_TRAINING: { description: 'Training in phones, apps and online services.' },
    E_COMMERCE_TRAINING: { description: 'Training in online selling.' },
    FESTIVAL_CELEBRATION: { description: 'Celebration of a traditional festival.' },
    PUBLIC_SERVICE_DAY: {
      description: 'A day of assisted online public services (appointments, insurance).',
    },
  },
});

@ObjectType({ description: 'An event held at a culture auditorium.' })
@Entity({ tableName: 'auditorium_event' })
@Index({ properties: ['auditoriumId', 'date'] })
export class AuditoriumEvent {
  @Field(() => ID, { description: 'Stable identifier of the event.' })
  @PrimaryKey({ type: 'string', length: 60 })
  id!: string;

  @Field(() => ID, { description: 'The auditorium it was held at.' })
  @Property({ type: 'string', length: 40 })
  auditoriumId!: string;

  /** Village of the auditorium: rollups group events by code prefix without a join. */
  @Index()
  @Property({ type: 'string', length: 12 })
  villageCode!: string;

  @Field(() => LocalDateScalar, { description: 'Day it was held (YYYY-MM-DD).' })
  @Property({ type: 'string', length: 10 })
  date!: string;

  @Field(() => String, { description: 'Title of the event.' })
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => AuditoriumEventType, { description: 'Kind of event.' })
  @Enum({ items: () => AuditoriumEventType })
  type!: AuditoriumEventType;

  @Field(() => Int, { description: 'Number of people who attended.' })
  @Property({ type: 'integer' })
  attendance!: number;

  @Field(() => Provenance, { description: 'Where this record comes from.' })
  @Embedded(() => Provenance, { prefix: 'provenance_' })
  provenance!: Provenance;
}
