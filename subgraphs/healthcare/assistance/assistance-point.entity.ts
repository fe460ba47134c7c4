import { Entity, Index, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import { describedEnum, type EnumValue } from '../../shared/enums.js';
import * as column from '../../shared/columns.js';

export const AssistancePointKind = describedEnum(
  'AssistancePointKind',
  'Where in the village the help is given.',
  {
    CULTURE_AUDITORIUM:
      "At a village culture auditorium (文化礼堂): the village's own, or a nearby village's " +
      'when it has none (see `AssistancePoint.auditorium`).',
    VILLAGE_CLINIC: 'At the village clinic.',
  },
);
export type AssistancePointKind = EnumValue<typeof AssistancePointKind>;

export const AssistedBookingKind = describedEnum(
  'AssistedBookingKind',
  'What residents were helped to do online.',
  {
    DOCTOR_APPOINTMENT: 'Book a doctor appointment online.',
    TEST_RESULTS: 'Look up test or examination results online.',
    INSURANCE: 'Medical-insurance services online (enrolment, reimbursement).',
  },
);
export type AssistedBookingKind = EnumValue<typeof AssistedBookingKind>;

@ObjectType({
  description:
    'A place in a village where staff help residents use online healthcare services ' +
    '(book appointments, fetch results, insurance). Holds aggregated counts only.',
})
@Entity({ tableName: 'assistance_point' })
export class AssistancePoint {
  @column.Key('Stable identifier of the assistance point.')
  id!: string;

  @column.DivisionCode('village', {
    description:
      'Code of the village whose residents the point serves: where the help is given, except ' +
      'for an auditorium point of a village without an auditorium (see `auditorium`).',
  })
  villageCode!: string;

  @column.Enum(() => AssistancePointKind, 'Where in the village the help is given.')
  kind!: AssistancePointKind;

  /** Key of the culture subgraph's auditorium (kind CULTURE_AUDITORIUM); indexed for the feed. */
  @Index()
  @Property({ type: 'string', length: 40, nullable: true })
  auditoriumId!: string | null;

  /** This subgraph's facility (kind VILLAGE_CLINIC). */
  @Property({ type: 'string', length: 40, nullable: true })
  facilityId!: string | null;

  @Field(() => [AssistedBookingKind], { description: 'What residents can get help with here.' })
  @Property({ type: 'json' })
  helpsWith!: AssistedBookingKind[];

  @column.Provenance('Where the fact that help is given here comes from.')
  provenance!: Provenance;
}
