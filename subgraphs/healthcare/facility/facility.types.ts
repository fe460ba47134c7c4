import { Field, ObjectType, registerEnumType } from 'type-graphql';

export enum FacilityService {
  GENERAL_PRACTICE = 'GENERAL_PRACTICE',
  TRADITIONAL_CHINESE_MEDICINE = 'TRADITIONAL_CHINESE_MEDICINE',
  VACCINATION = 'VACCINATION',
  CHRONIC_DISEASE_FOLLOW_UP = 'CHRONIC_DISEASE_FOLLOW_UP',
  MATERNAL_AND_CHILD_HEALTH = 'MATERNAL_AND_CHILD_HEALTH',
  REHABILITATION = 'REHABILITATION',
  SPECIALIST_OUTPATIENT = 'SPECIALIST_OUTPATIENT',
  INPATIENT_CARE = 'INPATIENT_CARE',
  EMERGENCY = 'EMERGENCY',
}

registerEnumType(FacilityService, {
  name: 'FacilityService',
  description: 'A kind of care a facility offers.',
  valuesConfig: {
    GENERAL_PRACTICE: { description: 'General practice consultations.' },
    TRADITIONAL_CHINESE_MEDICINE: { description: 'Traditional Chinese medicine.' },
    VACCINATION: { description: 'Vaccination.' },
    CHRONIC_DISEASE_FOLLOW_UP: {
      description: 'Follow-up of chronic diseases such as hypertension and diabetes.',
    },
    MATERNAL_AND_CHILD_HEALTH: { description: 'Maternal and child health care.' },
    REHABILITATION: { description: 'Rehabilitation.' },
    SPECIALIST_OUTPATIENT: { description: 'Specialist outpatient departments.' },
    INPATIENT_CARE: { description: 'Inpatient wards.' },
    EMERGENCY: { description: 'Emergency department.' },
  },
});

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
