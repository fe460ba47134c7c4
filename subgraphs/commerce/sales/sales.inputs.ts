import { Field, ID, InputType, Int } from 'type-graphql';
import { MonthField } from '../../shared/arguments.js';

@InputType({ description: "A store's sales for one month; a repeat replaces the earlier report." })
export class ReportStoreSalesInput {
  @Field(() => ID, { description: 'Id of a known store.' })
  storeId!: string;

  @MonthField('reported')
  month!: string;

  @Field(() => Int, { description: 'Orders in the month (>= 0).' })
  orders!: number;

  @Field(() => String, {
    description: 'Revenue in yuan as a decimal string with at most two decimals, e.g. "1234.50".',
  })
  revenue!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Who reports the figures (recorded as their provenance source).',
  })
  source?: string | null;
}
