import { BigIntType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import { ProductCategory } from '../store/store.entity.js';
import * as column from '../../shared/columns.js';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'An enterprise selling rural products online.' })
@Entity({ tableName: 'enterprise' })
export class Enterprise {
  @column.Key('Stable identifier of the enterprise.')
  id!: string;

  @column.Title('Name (descriptive when the real name is not public).')
  name!: string;

  @Field(() => String, { nullable: true, description: 'Owner, where publicly reported.' })
  @Property({ type: 'string', length: 100, nullable: true })
  ownerName!: string | null;

  @column.DivisionCode('county', {
    description: 'Code of the county or district the enterprise is in.',
  })
  countyCode!: string;

  @column.DivisionCode('village', {
    nullable: true,
    description: 'Code of its village, where known.',
  })
  villageCode!: string | null;

  @column.Enum(() => ProductCategory, 'Main industry (product category).')
  industry!: ProductCategory;

  /** Comma-separated Platform values; exposed as a list. */
  @Property({ type: 'string', length: 200 })
  platforms!: string;

  @Field(() => ID, { nullable: true, description: 'Id of the e-commerce park hosting it.' })
  @Index()
  @Property({ type: 'string', length: 40, nullable: true })
  parkId!: string | null;

  @column.Provenance('Where this record comes from.')
  provenance!: Provenance;
}

/** An enterprise's figures for one year; unknown figures stay null rather than invented. */
@ObjectType({ description: "An enterprise's figures for one calendar year." })
@Entity({ tableName: 'enterprise_year' })
export class EnterpriseYear {
  @PrimaryKey({ type: 'string', length: 40 })
  enterpriseId!: string;

  @Field(() => Int, { description: 'Calendar year.' })
  @PrimaryKey({ type: 'integer' })
  year!: number;

  /** Integer fen; exposed as `onlineRevenue: Money`. */
  @Property({ type: new BigIntType('string') })
  onlineRevenueFen!: string;

  /** Integer fen or null when not known; exposed as `offlineRevenue: Money`. */
  @Property({ type: new BigIntType('string'), nullable: true })
  offlineRevenueFen!: string | null;

  @column.Integer('Employees, where known.', { nullable: true })
  employees!: number | null;

  @column.Integer('Farmers given sales channels (a lower bound when the source says "over").', {
    nullable: true,
  })
  farmersConnected!: number | null;

  @column.Provenance("Where this year's figures come from.")
  provenance!: Provenance;
}
