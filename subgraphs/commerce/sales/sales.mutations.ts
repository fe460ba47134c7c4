import type { GraphQLResolveInfo } from 'graphql';
import { Resolver } from 'type-graphql';
import { amountFen, count, id, month as monthArgument } from '../../shared/arguments.js';
import { badUserInput } from '../../shared/errors.js';
import { recordChange } from '../../shared/changes.js';
import { recordEnterpriseChange } from '../enterprise/enterprise.changes.js';
import { WriteMutation, writeOnce } from '../../shared/write-once.js';
import { ProvenanceKind } from '../../shared/provenance.js';
import type { CommerceContext } from '../context.js';
import { addSalesDelta } from '../rollup/rollup.rebuild.js';
import { reportSource } from '../store/store.mutations.js';
import { StoreMonthlySales } from './sales.entity.js';
import { ReportStoreSalesInput } from './sales.inputs.js';

@Resolver(() => StoreMonthlySales)
export class SalesMutationResolver {
  @WriteMutation(
    () => StoreMonthlySales,
    'commerce:write',
    ReportStoreSalesInput,
    "Reports a store's sales for one month. A repeated report for the same store and month replaces the earlier one (safe to retry); rollups change by the difference, in the same transaction.",
  )
  async reportStoreSales(
    input: ReportStoreSalesInput,
    ctx: CommerceContext,
    info: GraphQLResolveInfo,
  ): Promise<StoreMonthlySales> {
    id(input.storeId, 'input.storeId');
    const month = monthArgument(input.month, 'input.month');
    count(input.orders, 'input.orders');
    const fen = amountFen(input.revenue, 'input.revenue');
    const source = reportSource(input.source);
    return writeOnce(ctx, info, StoreMonthlySales, async (tem, trx) => {
      // Locking the store row serialises reports for one store, so deltas never interleave.
      const storeQuery = trx('online_store')
        .select('village_code', 'opened_on', 'enterprise_id')
        .where('id', input.storeId);
      if (!String(trx.client.config.client).includes('sqlite')) storeQuery.forUpdate();
      const store = (await storeQuery.first()) as
        { village_code: string; opened_on: string; enterprise_id: string | null } | undefined;
      if (!store) throw badUserInput('input.storeId is not a known store.', 'input.storeId');
      if (month < store.opened_on.slice(0, 7)) {
        throw badUserInput('input.month is before the store opened.', 'input.month');
      }
      const previous = (await trx('store_monthly_sales')
        .select('orders', 'revenue_fen')
        .where({ store_id: input.storeId, month })
        .first()) as { orders: number | string; revenue_fen: number | string } | undefined;
      await trx('store_monthly_sales')
        .insert({
          store_id: input.storeId,
          month,
          orders: input.orders,
          revenue_fen: fen.toString(),
          provenance_kind: ProvenanceKind.REPORTED,
          provenance_source: source,
          provenance_as_of: month,
          provenance_note: null,
        })
        .onConflict(['store_id', 'month'])
        .merge();
      const oldFen = BigInt(String(previous?.revenue_fen ?? 0));
      await addSalesDelta(
        trx,
        store.village_code,
        month,
        input.orders - Number(previous?.orders ?? 0),
        Number(fen - oldFen),
      );
      // An enterprise's online revenue of a year is the sum of its stores' sales where it was
      // computed from them (synthetic); a figure a source reported stays as reported.
      if (store.enterprise_id && fen !== oldFen) {
        await trx('enterprise_year')
          .where({
            enterprise_id: store.enterprise_id,
            year: Number(month.slice(0, 4)),
            provenance_kind: ProvenanceKind.SYNTHETIC,
          })
          .update({
            online_revenue_fen: trx.raw('online_revenue_fen + cast(? as bigint)', [
              (fen - oldFen).toString(),
            ]),
          });
      }
      // Last, in the same transaction (changes.ts).
      await recordChange(trx, { villageCode: store.village_code, what: 'storeSales' });
      // The enterprise's village shows the store's sales too (orders, source), not only revenue.
      if (store.enterprise_id) {
        await recordEnterpriseChange(trx, store.enterprise_id, store.village_code, 'storeSales');
      }
      // Read in the transaction, so the stored result is what this write made.
      return tem.findOneOrFail(
        StoreMonthlySales,
        { storeId: input.storeId, month },
        { refresh: true },
      );
    });
  }
}
