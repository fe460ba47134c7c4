import { Entity, Property } from '@mikro-orm/core';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import { describedEnum, type EnumValue } from '../../shared/enums.js';
import * as column from '../../shared/columns.js';

export const AuditoriumService = describedEnum(
  'AuditoriumService',
  'A service a village culture auditorium offers.',
  {
    BOOK_LENDING: 'Lends books.',
    DIALECT_LEARNING: 'Local dialect lessons, often with digital audio resources.',
    TRADITIONAL_CULTURE_COURSES: 'Courses on traditional culture.',
    DIGITAL_LIBRARY_TERMINAL: 'A terminal to read the digital library.',
    ONLINE_PUBLIC_SERVICE_HELP: 'Staff help residents use online public services.',
    MEDICAL_APPOINTMENT_HELP: 'Staff help residents book doctor appointments online.',
    SOCIAL_INSURANCE_HELP: 'Staff help with online social-insurance services.',
    E_GOVERNMENT_HELP: 'Staff help with e-government services.',
    DIGITAL_SKILLS_TRAINING: 'Digital-skills training.',
    E_COMMERCE_TRAINING: 'E-commerce training.',
    PERFORMANCES: 'Performances and shows.',
  },
);
export type AuditoriumService = EnumValue<typeof AuditoriumService>;

/** Services that make an auditorium a hub of digital public services. */
export const DIGITAL_HUB_SERVICES: readonly AuditoriumService[] = [
  AuditoriumService.ONLINE_PUBLIC_SERVICE_HELP,
  AuditoriumService.MEDICAL_APPOINTMENT_HELP,
  AuditoriumService.SOCIAL_INSURANCE_HELP,
  AuditoriumService.E_GOVERNMENT_HELP,
];

@Directive('@key(fields: "id")')
@ObjectType({
  description:
    'A village culture auditorium (文化礼堂): a hub of culture and digital public services.',
})
@Entity({ tableName: 'auditorium' })
export class Auditorium {
  @column.Key('Stable identifier of the auditorium.')
  id!: string;

  @column.Title('Name of the auditorium.')
  name!: string;

  @column.DivisionCode('village', { description: 'Code of the village the auditorium serves.' })
  villageCode!: string;

  @Field(() => [AuditoriumService], { description: 'Services offered.' })
  @Property({ type: 'json' })
  services!: AuditoriumService[];

  @Field(() => Boolean, {
    description: 'Whether it also acts as a hub of digital public services.',
  })
  @Property({ type: 'boolean' })
  digitalServiceHub!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Opening hours as posted, e.g. "Tue-Sun 08:30-11:30, 13:30-20:30".',
  })
  @Property({ type: 'string', length: 200, nullable: true })
  openingHours?: string | null;

  @column.Integer('Floor area in square metres.', { nullable: true })
  floorArea?: number | null;

  @column.Integer('Seats in the main hall.', { nullable: true })
  seats?: number | null;

  @column.Integer('Year it opened.', { nullable: true })
  yearOpened?: number | null;

  @column.Provenance('Where this record comes from.')
  provenance!: Provenance;
}
