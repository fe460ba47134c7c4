import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { describedEnum, type EnumValue } from '../../shared/enums.js';
import { VillageKind } from '../village/village.entity.js';

export const RegionLevel = describedEnum(
  'RegionLevel',
  'Level of an administrative division above the village level.',
  {
    PROVINCE: 'Province, autonomous region or municipality (2-digit code).',
    CITY: 'Prefecture-level city (4-digit code); some are named 市辖区.',
    COUNTY: 'County, county-level city or district (6-digit code).',
    TOWNSHIP: 'Township, town or street (9-digit code).',
  },
);
export type RegionLevel = EnumValue<typeof RegionLevel>;

/** Number of digits of a region code at each level; codes nest by prefix. */
export const CODE_LENGTH: Record<RegionLevel, number> = {
  PROVINCE: 2,
  CITY: 4,
  COUNTY: 6,
  TOWNSHIP: 9,
};

export function levelOfCode(code: string): RegionLevel | null {
  const entry = Object.entries(CODE_LENGTH).find(([, len]) => len === code.length);
  return entry && /^\d+$/.test(code) ? (entry[0] as RegionLevel) : null;
}

@Directive('@key(fields: "code")')
@ObjectType({
  description: 'An administrative division above the village level, keyed by its official code.',
})
@Entity({ tableName: 'region' })
export class Region {
  @Field(() => ID, { description: 'Official statistical division code (2, 4, 6 or 9 digits).' })
  @PrimaryKey({ type: 'string', length: 12 })
  code!: string;

  @Field(() => String, { description: 'Official name, as in the division data.' })
  @Property({ type: 'string', length: 100 })
  name!: string;

  @Field(() => RegionLevel, { description: 'Level in the hierarchy.' })
  @Enum({ items: () => RegionLevel })
  level!: RegionLevel;

  /** Code of the enclosing region; null for provinces. */
  @Index()
  @Property({ type: 'string', length: 12, nullable: true })
  parentCode!: string | null;

  @Field(() => Int, {
    description: 'Village-level units (villages and communities) in this region.',
  })
  @Property({ type: 'integer' })
  villageCount!: number;

  @Field(() => Int, { description: 'Rural villages (村委会 / 村民委员会) in this region.' })
  @Property({ type: 'integer' })
  ruralVillageCount!: number;

  /**
   * Urban communities in this region (the other units are the rest of villageCount): counted
   * with the others when the divisions are loaded, so `villages(kind:) { totalCount }` reads
   * one row, not every village of the region.
   */
  @Property({ type: 'integer', default: 0 })
  urbanCommunityCount!: number;
}

/**
 * The region's village-level units of a kind (all of them without one), from the counts kept
 * when the divisions were loaded: a count reads no village.
 */
export function villagesOfKind(r: Region, kind: VillageKind | null | undefined): number {
  if (kind === VillageKind.RURAL_VILLAGE) return r.ruralVillageCount;
  if (kind === VillageKind.URBAN_COMMUNITY) return r.urbanCommunityCount;
  if (kind === VillageKind.OTHER) {
    return r.villageCount - r.ruralVillageCount - r.urbanCommunityCount;
  }
  return r.villageCount;
}
