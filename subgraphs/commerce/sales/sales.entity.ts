import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import { MonthField } from '../../shared/arguments.js';
import { KeyColumn, ProvenanceColumns } from '../../shared/columns.js';

/**
 * One store's sales in one calendar month. (store_id, month) is the primary key, so a repeated
 * report for the same store and month replaces the earlier one.
 */
@ObjectType({ description: "A store's online sales in one calendar month." })
@Entity({ tableName: 'store_monthly_sales' })
export class StoreMonthlySales {
  @KeyColumn('Id of the store.')
  storeId!: string;

  @MonthField('month')
  @PrimaryKey({ type: 'string', length: 7 })
  month!: string;

  @Field(() => Int, { description: 'Orders placed in the month.' })
  @Property({ type: 'integer' })
  orders!: number;

  /** Revenue in integer fen; exposed as `revenue: Money`. */
  @Property({ type: new BigIntType('string') })
  revenueFen!: string;

  @ProvenanceColumns('Where this figure comes from.')
  provenance!: Provenance;
}
