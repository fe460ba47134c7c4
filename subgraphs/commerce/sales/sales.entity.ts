import { BigIntType, Entity, Property } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import * as column from '../../shared/columns.js';

/**
 * One store's sales in one calendar month. (store_id, month) is the primary key, so a repeated
 * report for the same store and month replaces the earlier one.
 */
@ObjectType({ description: "A store's online sales in one calendar month." })
@Entity({ tableName: 'store_monthly_sales' })
export class StoreMonthlySales {
  @column.Key('Id of the store.')
  storeId!: string;

  @column.Month({ field: true })
  month!: string;

  @column.Integer('Orders placed in the month.')
  orders!: number;

  /** Revenue in integer fen; exposed as `revenue: Money`. */
  @Property({ type: new BigIntType('string') })
  revenueFen!: string;

  @column.Provenance('Where this figure comes from.')
  provenance!: Provenance;
}
