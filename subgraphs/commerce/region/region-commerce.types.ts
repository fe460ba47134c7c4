import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import {
  Provenance,
  ProvenanceKind,
  SYNTHETIC_SOURCE,
  provenance,
} from '../../shared/provenance.js';
import { Money } from '../money/money.js';
import { ROLLUP_NOTE } from '../rollup/rollup.rebuild.js';
import { Platform, ProductCategory } from '../store/store.entity.js';
import { Region } from './region.reference.js';
import { RankEntry } from '../../shared/ranking.js';
import { MonthSpan } from '../../shared/months.js';
import { describedEnum, type EnumValue } from '../../shared/enums.js';
import type { ChildCount } from '../../shared/references.js';

/** Provenance of figures that are always computed from (mostly synthetic) records. */
export const COMPUTED_PROVENANCE = provenance(
  ProvenanceKind.SYNTHETIC,
  SYNTHETIC_SOURCE,
  null,
  ROLLUP_NOTE,
);

export const CommerceMetric = describedEnum(
  'CommerceMetric',
  'A commerce figure regions can be ranked by.',
  {
    STORE_COUNT: 'Active online stores (filterable by platform and category).',
    JOBS: 'Jobs in active online stores (filterable by platform and category).',
    ONLINE_REVENUE: 'Online sales revenue over a month range.',
    ORDERS: 'Online orders over a month range.',
    ENTERPRISE_COUNT: 'Enterprises selling online.',
    SERVICE_POINT_COUNT: 'Village e-commerce service points.',
  },
);
export type CommerceMetric = EnumValue<typeof CommerceMetric>;

@ObjectType({ description: 'A count with its provenance.' })
export class CommerceCount {
  @Field(() => Int, { description: 'The count.' })
  count!: number;

  @Field(() => Provenance, { description: 'Where the count comes from.' })
  provenance!: Provenance;
}

@ObjectType({ description: 'Online sales over an inclusive month range.' })
export class SalesFigure extends MonthSpan {
  /** Village or region code, for the month-by-month series. */
  code!: string;

  @Field(() => GraphQLSafeInt, { description: 'Orders in the range.' })
  orders!: number;

  @Field(() => Money, { description: 'Revenue in the range.' })
  revenue!: Money;

  @Field(() => Provenance, { description: 'Where the figures come from.' })
  provenance!: Provenance;
}

@ObjectType({ description: 'Active stores and their jobs on one platform.' })
export class PlatformStoreCount {
  @Field(() => Platform, { description: 'The platform.' })
  platform!: Platform;

  @Field(() => Int, { description: 'Active stores on it.' })
  count!: number;

  @Field(() => Int, { description: 'Jobs in those stores.' })
  jobs!: number;
}

@ObjectType({ description: 'Active stores and their jobs in one product category.' })
export class CategoryStoreCount {
  @Field(() => ProductCategory, { description: 'The category.' })
  category!: ProductCategory;

  @Field(() => Int, { description: 'Active stores selling it.' })
  count!: number;

  @Field(() => Int, { description: 'Jobs in those stores.' })
  jobs!: number;
}

@ObjectType({ description: 'Active online stores of a region, in total and broken down.' })
export class RegionStoreCounts {
  @Field(() => Int, { description: 'Active online stores.' })
  total!: number;

  @Field(() => [PlatformStoreCount], { description: 'By platform (platforms with stores).' })
  byPlatform!: PlatformStoreCount[];

  @Field(() => [CategoryStoreCount], { description: 'By category (categories with stores).' })
  byCategory!: CategoryStoreCount[];

  @Field(() => Provenance, { description: 'Where the counts come from.' })
  provenance!: Provenance;
}

@ObjectType({ description: 'A child region ranked by a commerce figure.' })
export class CommerceRankEntry extends RankEntry(Region) {
  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'The value for count metrics (stores, jobs, orders, enterprises, points).',
  })
  count!: number | null;

  @Field(() => Money, { nullable: true, description: 'The value for ONLINE_REVENUE.' })
  revenue!: Money | null;
}

@ObjectType({ description: "The commerce subgraph's figures for a region, from rollup tables." })
export class RegionCommerce {
  @Field(() => ID, { description: 'Code of the region.' })
  code!: string;

  /** Rural villages of the region (from places), the denominator of the index components. */
  ruralVillageCount!: number | null;

  /** The child regions (from places), every one of which `childRanking` ranks; null if not sent. */
  children!: ChildCount[] | null;
}
