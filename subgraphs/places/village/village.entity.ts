import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { describedEnum, type EnumValue } from '../../shared/enums.js';

export const VillageKind = describedEnum(
  'VillageKind',
  'Kind of village-level unit, derived from its official name.',
  {
    RURAL_VILLAGE: 'Rural village committee: name ends in 村委会 or 村民委员会.',
    URBAN_COMMUNITY: "Urban residents' committee or community: 居委会, 居民委员会 or 社区.",
    OTHER: 'Other units such as farm, forest or development-zone living areas.',
  },
);
export type VillageKind = EnumValue<typeof VillageKind>;

@Directive('@key(fields: "code")')
@ObjectType({
  description:
    'A village-level unit (rural village or urban community), keyed by its official code.',
})
@Entity({ tableName: 'village' })
@Index({ properties: ['provinceCode', 'code'] })
@Index({ properties: ['cityCode', 'code'] })
@Index({ properties: ['countyCode', 'code'] })
@Index({ properties: ['townshipCode', 'code'] })
export class Village {
  @Field(() => ID, { description: 'Official 12-digit statistical division code.' })
  @PrimaryKey({ type: 'string', length: 12 })
  code!: string;

  @Field(() => String, { description: 'Official name, as in the division data.' })
  @Property({ type: 'string', length: 100 })
  name!: string;

  @Field(() => VillageKind, { description: 'Rural village, urban community or other.' })
  @Enum({ items: () => VillageKind })
  kind!: VillageKind;

  @Property({ type: 'string', length: 9 })
  townshipCode!: string;

  @Property({ type: 'string', length: 6 })
  countyCode!: string;

  @Property({ type: 'string', length: 4 })
  cityCode!: string;

  @Property({ type: 'string', length: 2 })
  provinceCode!: string;
}
