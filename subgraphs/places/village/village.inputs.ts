import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Connection } from '../../shared/pagination.js';
import { Village, VillageKind } from './village.entity.js';

@InputType({ description: 'Filters for the villages list; all given filters must match.' })
export class VillageFilter {
  @Field(() => ID, {
    nullable: true,
    description: 'Code of an enclosing region at any level (2, 4, 6 or 9 digits).',
  })
  regionCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Substring of the official name.' })
  nameContains?: string | null;

  @Field(() => VillageKind, { nullable: true, description: 'Only villages of this kind.' })
  kind?: VillageKind | null;
}

@ObjectType({ description: 'A page of villages, ordered by code.' })
export class VillageConnection extends Connection('Village', Village) {
  /** Counts every match of the filter; run only when `totalCount` is selected. */
  count!: () => Promise<number>;
}

export const TOTAL_COUNT_DESCRIPTION = 'Number of villages matching the filter, over all pages.';
export { Int };
