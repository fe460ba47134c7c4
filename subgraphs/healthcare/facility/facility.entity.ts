import { Embedded, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';

export enum FacilityLevel {
  VILLAGE_CLINIC = 'VILLAGE_CLINIC',
  TOWNSHIP_HEALTH_CENTRE = 'TOWNSHIP_HEALTH_CENTRE',
  COUNTY_HOSPITAL = 'COUNTY_HOSPITAL',
}

registerEnumType(FacilityLevel, {
  name: 'FacilityLevel',
  description: 'Level of a health facility in the rural three-tier system.',
  valuesConfig: {
    VILLAGE_CLINIC: { description: 'Village clinic (村卫生室).' },
    TOWNSHIP_HEALTH_CENTRE: { description: 'Township health centre (乡镇卫生院).' },
    COUNTY_HOSPITAL: { description: 'County hospital.' },
  },
});

@Directive('@key(fields: "id")')
@ObjectType({
  description: 'A health facility: village clinic, township health centre or county hospital.',
})
@Entity({ tableName: 'facility' })
export class Facility {
  @Field(() => ID, { description: 'Stable identifier of the facility.' })
  @PrimaryKey({ type: 'string', length: 40 })
  id!: string;

  @Field(() => String, { description: 'Name of the facility.' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => FacilityLevel, { description: 'Level in the three-tier system.' })
  @Enum({ items: () => FacilityLevel })
  level!: FacilityLevel;

  @Field(() => ID, {
    nullable: true,
    description: 'Code of the village it serves (village clinics).',
  })
  @Index()
  @Property({ type: 'string', length: 12, nullable: true })
  villageCode!: string | null;

  @Field(() => ID, { description: 'Code of the region it serves (township or county).' })
  @Index()
  @Property({ type: 'string', length: 12 })
  regionCode!: string;

  @Field(() => Provenance, { description: 'Where this record comes from.' })
  @Embedded(() => Provenance, { prefix: 'provenance_' })
  provenance!: Provenance;
}
