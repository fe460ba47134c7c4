import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { describedEnum, type EnumValue } from '../../shared/enums.js';

export const FacilityService = describedEnum(
  'FacilityService',
  'A kind of care a facility offers.',
  {
    GENERAL_PRACTICE: 'General practice consultations.',
    TRADITIONAL_CHINESE_MEDICINE: 'Traditional Chinese medicine.',
    VACCINATION: 'Vaccination.',
    CHRONIC_DISEASE_FOLLOW_UP: 'Follow-up of chronic diseases such as hypertension and diabetes.',
    MATERNAL_AND_CHILD_HEALTH: 'Maternal and child health care.',
    REHABILITATION: 'Rehabilitation.',
    SPECIALIST_OUTPATIENT: 'Specialist outpatient departments.',
    INPATIENT_CARE: 'Inpatient wards.',
    EMERGENCY: 'Emergency department.',
  },
);
export type FacilityService = EnumValue<typeof FacilityService>;

export enum Weekday {
  MONDAY = 'MONDAY',
  TUESDAY = 'TUESDAY',
  WEDNESDAY = 'WEDNESDAY',
  THURSDAY = 'THURSDAY',
  FRIDAY = 'FRIDAY',
  SATURDAY = 'SATURDAY',
  SUNDAY = 'SUNDAY',
}

registerEnumType(Weekday, { name: 'Weekday', description: 'A day of the week.' });

export const WEEKDAYS = Object.values(Weekday);

/** One opening period; a day may have several (e.g. a lunch break splits it in two). */
@ObjectType({ description: 'A period on one weekday during which a facility is open.' })
export class OpeningPeriod {
  @Field(() => Weekday, { description: 'Day of the week.' })
  weekday!: Weekday;

  @Field(() => String, { description: 'Opening time, local, `HH:MM` (24-hour clock).' })
  opens!: string;

  @Field(() => String, {
    description: 'Closing time, local, `HH:MM` (24-hour clock; `24:00` = midnight), after `opens`.',
  })
  closes!: string;
}
