import { Entity, Index, Property } from '@mikro-orm/core';
import { LocalDateScalar } from '../../shared/argument-guard.js';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import { describedEnum, type EnumValue } from '../../shared/enums.js';
import * as column from '../../shared/columns.js';

export const Platform = describedEnum('Platform', 'An e-commerce platform.', {
  PINDUODUO: 'Pinduoduo.',
  TAOBAO_TMALL: 'Taobao or Tmall.',
  JD: 'JD.com.',
  DOUYIN: 'Douyin shop.',
  WECHAT_MINI_SHOP: 'WeChat mini-program shop.',
  OTHER: 'Another platform.',
});
export type Platform = EnumValue<typeof Platform>;

export const ProductCategory = describedEnum(
  'ProductCategory',
  'Main product category of a store.',
  {
    TEA: 'Tea.',
    FRUIT: 'Fruit.',
    VEGETABLES: 'Vegetables.',
    HANDICRAFTS: 'Handicrafts.',
    PROCESSED_FOOD: 'Processed food.',
    OTHER: 'Other products.',
  },
);
export type ProductCategory = EnumValue<typeof ProductCategory>;

export const StoreStatus = describedEnum('StoreStatus', 'Whether a store is trading.', {
  ACTIVE: 'Open and selling; counted in region store counts and jobs.',
  SUSPENDED: 'Temporarily not selling.',
  CLOSED: 'Closed for good; its past sales still count in revenue.',
});
export type StoreStatus = EnumValue<typeof StoreStatus>;

@Directive('@key(fields: "id")')
@ObjectType({ description: 'An online store run from a village.' })
@Entity({ tableName: 'online_store' })
export class OnlineStore {
  @column.Key('Stable identifier of the store.')
  id!: string;

  @column.Title('Store name.')
  name!: string;

  @column.DivisionCode('village', { description: 'Code of the village the store is run from.' })
  villageCode!: string;

  @column.Enum(() => Platform, 'Platform the store sells on.')
  platform!: Platform;

  @column.Enum(() => ProductCategory, 'Main product category.')
  category!: ProductCategory;

  @Field(() => LocalDateScalar, { description: 'Date the store opened (YYYY-MM-DD).' })
  @Property({ type: 'string', length: 10, default: '2020-01-01' })
  openedOn!: string;

  @column.Enum(() => StoreStatus, 'Whether the store is trading.', { default: StoreStatus.ACTIVE })
  status!: StoreStatus;

  @Field(() => Int, { description: 'People the store employs (jobs it provides).' })
  @Property({ type: 'integer', default: 0 })
  jobs!: number;

  /** Enterprise running the store, if any (same subgraph, plain indexed key). */
  @Field(() => ID, { nullable: true, description: 'Id of the enterprise running the store.' })
  @Index()
  @Property({ type: 'string', length: 40, nullable: true })
  enterpriseId!: string | null;

  @column.Provenance('Where this record comes from.')
  provenance!: Provenance;
}
