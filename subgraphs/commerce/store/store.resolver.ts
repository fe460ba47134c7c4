import type DataLoader from 'dataloader';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs, listPage } from '../../shared/pagination.js';
import type { CommerceContext } from '../context.js';
import { Enterprise } from '../enterprise/enterprise.entity.js';
import { OnlineStoreConnection } from '../enterprise/enterprise.inputs.js';
import { Money, money } from '../money/money.js';
import { monthRange } from '../sales/month.js';
import { StoreMonthlySales } from '../sales/sales.entity.js';
import { Village } from '../village/village.reference.js';
import { OnlineStore } from './store.entity.js';
import type { StorePage, StorePageKey } from './store.loaders.js';
import { ByIdQuery } from '../../shared/by-id.js';
import { MonthRangeField } from '../../shared/months.js';

/** A page of an owner's stores (a village's or an enterprise's) through a page loader. */
export async function storeConnection(
  loader: DataLoader<StorePageKey, StorePage, string>,
  ownerType: 'Village' | 'Enterprise',
  owner: string,
  args: PageArgs,
): Promise<OnlineStoreConnection> {
  const { limit, cursor, connection } = listPage(args, `${ownerType}.stores`, owner);
  const page = await loader.load({ owner, limit, after: cursor });
  return Object.assign(new OnlineStoreConnection(), {
    ...connection(page.rows, (s) => s.id),
    totalCount: page.total,
  });
}

@Resolver(() => OnlineStore)
export class StoreResolver {
  @ByIdQuery(() => OnlineStore, 'An online store by id.')
  onlineStore(id: string, ctx: CommerceContext) {
    return ctx.loaders.stores.storeById.load(id);
  }

  @FieldResolver(() => Village, { description: 'The village the store is run from.' })
  village(@Root() store: OnlineStore): Village {
    return Object.assign(new Village(), { code: store.villageCode });
  }

  @FieldResolver(() => Enterprise, { nullable: true, description: 'Enterprise running it.' })
  enterprise(@Root() store: OnlineStore, @Ctx() ctx: CommerceContext) {
    return store.enterpriseId
      ? ctx.loaders.enterprises.enterpriseById.load(store.enterpriseId)
      : null;
  }

  @MonthRangeField(
    () => [StoreMonthlySales],
    'Monthly sales in an inclusive month range, by month (months without a report are absent).',
  )
  monthlySales(store: OnlineStore, ctx: CommerceContext, from: string, to: string) {
    return ctx.loaders.stores.salesByStore.load({ storeId: store.id, ...monthRange(from, to) });
  }
}

@Resolver(() => StoreMonthlySales)
export class MonthlySalesResolver {
  @FieldResolver(() => Money, { description: 'Revenue of the month.' })
  revenue(@Root() sales: StoreMonthlySales): Money {
    return money(sales.revenueFen);
  }
}

export function resolveStoreReference(ref: { id: string }, ctx: CommerceContext) {
  return ctx.loaders.stores.storeById.load(ref.id);
}
