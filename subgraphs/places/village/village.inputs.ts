import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Connection } from '../../shared/pagination.js';
import { Village, VillageKind } from './village.entity.js';

@InputType({ description: 'Filters for the villages list; all given filters must match.' })
export class VillageFilter {
  @Field(() => ID, {
    nullable: true,
    description: 'Code of an enclosing region at any level (2, 4, 6 or 9 digits).',
  })
  regionCode?: string | null;

  // Demand control: no index finds a substring, so a name search reads every village of its
  // region (620,573 with no region: ~60 ms of SQL per statement, two with totalCount). Priced
  // so that a document holds at most three such searches (MAX_COST 20,000), where thirty aliased
  // ones cost 30 and kept places busy for 2.8 s (docs/security.md, "How cost is estimated").
  @Directive('@cost(weight: 5000)')
  @Field(() => String, { nullable: true, description: 'Substring of the official name.' })
  nameContains?: string | null;

  // The kind is not indexed on its own: without a narrow region, its page and its totalCount
  // read the villages of the whole region (~35 ms a count nationally).
  @Directive('@cost(weight: 2000)')
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
