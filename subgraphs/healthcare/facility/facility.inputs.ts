import { Field, ID, InputType } from 'type-graphql';
import { Weekday } from './facility.types.js';

@InputType({ description: 'One opening period on one weekday.' })
export class OpeningPeriodInput {
  @Field(() => Weekday, { description: 'Day of the week.' })
  weekday!: Weekday;

  @Field(() => String, { description: 'Opening time, `HH:MM` (24-hour clock).' })
  opens!: string;

  @Field(() => String, { description: 'Closing time, `HH:MM`, after `opens` (`24:00` allowed).' })
  closes!: string;
}

@InputType({ description: "Replaces a facility's regular opening hours." })
export class UpdateFacilityOpeningHoursInput {
  @Field(() => ID, { description: 'The facility.' })
  facilityId!: string;

  @Field(() => [OpeningPeriodInput], {
    description: 'The whole week of opening periods (replaces the previous ones; empty = closed).',
  })
  openingHours!: OpeningPeriodInput[];

  @Field(() => String, {
    description: 'Who reported the hours (e.g. the county health bureau), kept as provenance.',
  })
  source!: string;
}
