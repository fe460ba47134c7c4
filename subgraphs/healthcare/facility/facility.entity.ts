import { Entity, Index, Property } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import { FacilityService, OpeningPeriod } from './facility.types.js';
import { MAX_PERIODS } from './opening-hours.js';
import { describedEnum, type EnumValue } from '../../shared/enums.js';
import * as column from '../../shared/columns.js';

export const FacilityLevel = describedEnum(
  'FacilityLevel',
  'Level of a health facility in the rural three-tier system.',
  {
    VILLAGE_CLINIC: 'Village clinic (村卫生室).',
    TOWNSHIP_HEALTH_CENTRE:
      'Township health centre (乡镇卫生院) or, in a street, community health centre.',
    COUNTY_HOSPITAL: 'County hospital (county-level general or TCM hospital).',
  },
);
export type FacilityLevel = EnumValue<typeof FacilityLevel>;

@Directive('@key(fields: "id")')
@ObjectType({
  description: 'A health facility: village clinic, township health centre or county hospital.',
})
@Entity({ tableName: 'facility' })
export class Facility {
  @column.Key('Stable identifier of the facility.')
  id!: string;

  @column.Title('Name of the facility.')
  name!: string;

  @column.Enum(() => FacilityLevel, 'Level in the three-tier system.')
  level!: FacilityLevel;

  @column.DivisionCode('village', {
    nullable: true,
    description: 'Code of the village it serves (village clinics).',
  })
  villageCode!: string | null;

  @Field(() => ID, {
    description:
      'Code of the region it serves: the township (9 digits) for clinics and health centres, ' +
      'the county (6 digits) for county hospitals.',
  })
  @Index()
  @Property({ type: 'string', length: 12 })
  regionCode!: string;

  /** Most specific code of where it stands (village, township or county): for prefix scans. */
  @Index()
  @Property({ type: 'string', length: 12 })
  locationCode!: string;

  // Priced as the most a steward may write (updateFacilityOpeningHours), not the default 20.
  @Directive(`@listSize(assumedSize: ${MAX_PERIODS})`)
  @Field(() => [OpeningPeriod], {
    description: 'Regular opening periods, by weekday; empty when closed all week.',
  })
  @Property({ type: 'json' })
  openingHours!: OpeningPeriod[];

  @column.Provenance(
    'Where the opening hours come from (a data steward may have updated them).',
    'hours_provenance_',
  )
  openingHoursProvenance!: Provenance;

  @column.Integer('Number of doctors working at the facility.')
  doctorCount!: number;

  @Field(() => [FacilityService], { description: 'Kinds of care offered.' })
  @Property({ type: 'json' })
  services!: FacilityService[];

  @Field(() => Boolean, { description: 'Whether appointments can be booked online.' })
  @Property({ type: 'boolean' })
  acceptsOnlineAppointments!: boolean;

  @Field(() => Boolean, {
    description: 'Whether it offers telemedicine consultations with a higher-level hospital.',
  })
  @Property({ type: 'boolean' })
  offersTelemedicine!: boolean;

  @column.Provenance('Where this record and its figures come from.')
  provenance!: Provenance;
}
