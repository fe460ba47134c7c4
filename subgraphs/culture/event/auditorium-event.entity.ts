import { Entity, Index, Property } from '@mikro-orm/core';
import { LocalDateScalar } from '../../shared/argument-guard.js';
import { Field, ID, ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import { describedEnum, type EnumValue } from '../../shared/enums.js';
import * as column from '../../shared/columns.js';

export const AuditoriumEventType = describedEnum(
  'AuditoriumEventType',
  'Kind of event held at a culture auditorium.',
  {
    PERFORMANCE: 'Opera, music or dance performance.',
    LECTURE: 'Lecture or talk.',
    READING_SESSION: 'Shared reading.',
    DIALECT_CLASS: 'Dialect class.',
    TRADITIONAL_CULTURE_CLASS: 'Class on traditional culture.',
    DIGITAL_SKILLS_TRAINING: 'Training in phones, apps and online services.',
    E_COMMERCE_TRAINING: 'Training in online selling.',
    FESTIVAL_CELEBRATION: 'Celebration of a traditional festival.',
    PUBLIC_SERVICE_DAY: 'A day of assisted online public services (appointments, insurance).',
  },
);
export type AuditoriumEventType = EnumValue<typeof AuditoriumEventType>;

@ObjectType({ description: 'An event held at a culture auditorium.' })
@Entity({ tableName: 'auditorium_event' })
@Index({ properties: ['auditoriumId', 'date'] })
export class AuditoriumEvent {
  @column.Key('Stable identifier of the event.', 60)
  id!: string;

  @Field(() => ID, { description: 'The auditorium it was held at.' })
  @Property({ type: 'string', length: 40 })
  auditoriumId!: string;

  /** Village of the auditorium: rollups group events by code prefix without a join. */
  @column.DivisionCode('village')
  villageCode!: string;

  @Field(() => LocalDateScalar, { description: 'Day it was held (YYYY-MM-DD).' })
  @Property({ type: 'string', length: 10 })
  date!: string;

  @column.Title('Title of the event.')
  title!: string;

  @column.Enum(() => AuditoriumEventType, 'Kind of event.')
  type!: AuditoriumEventType;

  @column.Integer('Number of people who attended.')
  attendance!: number;

  @column.Provenance('Where this record comes from.')
  provenance!: Provenance;
}
