import type { CommerceContext } from '../context.js';
import { money } from '../money/money.js';
import { monthRange } from '../sales/month.js';
import { COMPUTED_PROVENANCE, SalesFigure } from './region-commerce.types.js';

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
