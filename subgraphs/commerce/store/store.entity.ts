import { Embedded, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { LocalDateScalar } from '../../shared/argument-guard.js';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';

export enum Platform {
  PINDUODUO = 'PINDUODUO',
  TAOBAO_TMALL = 'TAOBAO_TMALL',
  JD = 'JD',
  DOUYIN = 'DOUYIN',
  WECHAT_MINI_SHOP = 'WECHAT_MINI_SHOP',
  OTHER = 'OTHER',
}

registerEnumType(Platform, {
  name: 'Platform',
  description: 'An e-commerce platform.',
  valuesConfig: {
    PINDUODUO: { description: 'Pinduoduo.' },
    TAOBAO_TMALL: { description: 'Taobao or Tmall.' },
    JD: { description: 'JD.com.' },
    DOUYIN: { description: 'Douyin shop.' },
    WECHAT_MINI_SHOP: { description: 'WeChat mini-program shop.' },
    OTHER: { description: 'Another platform.' },
  },
});

export enum ProductCategory {
  TEA = 'TEA',
  FRUIT = 'FRUIT',
  VEGETABLES = 'VEGETABLES',
  HANDICRAFTS = 'HANDICRAFTS',
  PROCESSED_FOOD = 'PROCESSED_FOOD',
  OTHER = 'OTHER',
}

registerEnumType(ProductCategory, {
  name: 'ProductCategory',
  description: 'Main product category of a store.',
  valuesConfig: {
    TEA: { description: 'Tea.' },
    FRUIT: { description: 'Fruit.' },
    VEGETABLES: { description: 'Vegetables.' },
    HANDICRAFTS: { description: 'Handicrafts.' },
    PROCESSED_FOOD: { description: 'Processed food.' },
    OTHER: { description: 'Other products.' },
  },
});

export enum StoreStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  CLOSED = 'CLOSED',
}

registerEnumType(StoreStatus, {
  name: 'StoreStatus',
  description: 'Whether a store is trading.',
  valuesConfig: {
    ACTIVE: { description: 'Open and selling; counted in region store counts and jobs.' },
    SUSPENDED: { description: 'Temporarily not selling.' },
    CLOSED: { description: 'Closed for good; its past sales still count in revenue.' },
  },
});

@Directive('@key(fields: "id")')
@ObjectType({ description: 'An online store run from a village.' })
@Entity({ tableName: 'online_store' })
export class OnlineStore {
  @Field(() => ID, { description: 'Stable identifier of the store.' })
  @PrimaryKey({ type: 'string', length: 40 })
  id!: string;

  @Field(() => String, { description: 'Store name.' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => ID, { description: 'Code of the village the store is run from.' })
  @Index()
  @Property({ type: 'string', length: 12 })
  villageCode!: string;

  @Field(() => Platform, { description: 'Platform the store sells on.' })
  @Enum({ items: () => Platform })
  platform!: Platform;

  @Field(() => ProductCategory, { description: 'Main product category.' })
  @Enum({ items: () => ProductCategory })
  category!: ProductCategory;

  @Field(() => LocalDateScalar, { description: 'Date the store opened (YYYY-MM-DD).' })
  @Property({ type: 'string', length: 10, default: '2020-01-01' })
  openedOn!: string;

  @Field(() => StoreStatus, { description: 'Whether the store is trading.' })
  @Enum({ items: () => StoreStatus, default: StoreStatus.ACTIVE })
  status!: StoreStatus;

  @Field(() => Int, { description: 'People the store employs (jobs it provides).' })
  @Property({ type: 'integer', default: 0 })
  jobs!: number;

  /** Enterprise running the store, if any (same subgraph, plain indexed key). */
  @Field(() => ID, { nullable: true, description: 'Id of the enterprise running the store.' })
  @Index()
  @Property({ type: 'string', length: 40, nullable: true })
  enterpriseId!: string | null;

  @Field(() => Provenance, { description: 'Where this record comes from.' })
  @Embedded(() => Provenance, { prefix: 'provenance_' })
  provenance!: Provenance;
}
