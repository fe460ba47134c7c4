import { Resolver, type ClassType } from 'type-graphql';
import type { CommerceContext } from '../context.js';
import { money } from '../money/money.js';
import { monthRange } from '../sales/month.js';
import { COMPUTED_PROVENANCE, SalesFigure } from './region-commerce.types.js';
import { MonthRangeField } from '../../shared/months.js';

/** Online sales of a region or a village (`code`) over an inclusive month range, from the rollup. */
export async function salesFigure(
  ctx: CommerceContext,
  code: string,
  from: string,
  to: string,
): Promise<SalesFigure> {
  const range = monthRange(from, to);
  const total = await ctx.loaders.rollups.regionSales.load({ code, ...range });
  return Object.assign(new SalesFigure(), {
    code,
    ...range,
    orders: Number(total.orders),
    revenue: money(total.revenueFen),
    provenance: COMPUTED_PROVENANCE,
  });
}

/**
 * The `onlineSales` field of a commerce view of a region or a village: the sales of the view's
 * code (`codeOf`) over an inclusive month range. A class of the view's own, to register in the
 * schema; made after the view's resolver, it is the view's last field.
 */
export function onlineSalesResolver<V extends object>(
  view: ClassType<V>,
  codeOf: (view: V) => string,
): ClassType {
  @Resolver(() => view)
  class OnlineSalesResolver {
    @MonthRangeField(() => SalesFigure, 'Online sales over an inclusive month range.')
    onlineSales(root: V, ctx: CommerceContext, from: string, to: string): Promise<SalesFigure> {
      return salesFigure(ctx, codeOf(root), from, to);
    }
  }
  return OnlineSalesResolver;
}
