import { GraphQLSafeInt } from 'graphql-scalars';
import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { badUserInput } from '../../shared/errors.js';
import type { CommerceContext } from '../context.js';
import { Money, money } from '../money/money.js';
import { SalesFigure } from './region-commerce.types.js';
import { eachMonth, monthsBetween, OneMonth } from '../../shared/months.js';

/** Longest month-by-month series one figure returns. */
const MAX_SERIES_MONTHS = 120;

@ObjectType({ description: 'Online sales in one month.' })
export class SalesMonth extends OneMonth {
  @Field(() => GraphQLSafeInt, { description: 'Orders in the month.' })
  orders!: number;

  @Field(() => Money, { description: 'Revenue in the month.' })
  revenue!: Money;
}

@Resolver(() => SalesFigure)
export class SalesTrendResolver {
  @FieldResolver(() => [SalesMonth], {
    description:
      'The same figures month by month: every month of the range (at most 120), in order, ' +
      'zero when there were no sales; from the monthly rollup.',
  })
  async months(@Root() figure: SalesFigure, @Ctx() ctx: CommerceContext): Promise<SalesMonth[]> {
    const months = monthsBetween(figure.from, figure.to);
    if (months.length > MAX_SERIES_MONTHS) {
      throw badUserInput(
        `A month-by-month series spans at most ${MAX_SERIES_MONTHS} months.`,
        'to',
      );
    }
    const rows = await ctx.loaders.rollups.regionSalesMonths.load({
      code: figure.code,
      from: figure.from,
      to: figure.to,
    });
    return eachMonth(months, rows, (month, r) =>
      Object.assign(new SalesMonth(), {
        month,
        orders: Number(r?.orders ?? 0n),
        revenue: money(r?.revenueFen ?? 0n),
      }),
    );
  }
}
