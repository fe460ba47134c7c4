import { Embedded, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
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

  @Field(() => Provenance, { description: 'Where this record comes from.' })
  @Embedded(() => Provenance, { prefix: 'provenance_' })
  provenance!: Provenance;
}
