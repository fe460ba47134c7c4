import { Args, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import {
  RegionConnectionQuery,
  ConnectionField,
  PageArgs,
  listPage,
  pageById,
} from '../../shared/pagination.js';
import type { CommerceContext } from '../context.js';
import { Money, money } from '../money/money.js';
import { EcommercePark } from '../park/park.entity.js';
import { heldRegionCode } from '../../shared/loaded-scope.js';
import { Platform } from '../store/store.entity.js';
import { storeConnection } from '../store/store.resolver.js';
import { Enterprise, EnterpriseYear } from './enterprise.entity.js';
import { EnterpriseConnection, OnlineStoreConnection } from './enterprise.inputs.js';
import { ByIdQuery } from '../../shared/by-id.js';
import { codesUnder } from '../../shared/code-range.js';

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @ByIdQuery(() => Enterprise, 'An enterprise by id.')
  enterprise(id: string, ctx: CommerceContext) {
    return ctx.loaders.enterprises.enterpriseById.load(id);
  }

  @RegionConnectionQuery(
    () => EnterpriseConnection,
    'Enterprises located in a region (by code prefix), ordered by id.',
    'Region or village code (2-12 digits).',
  )
  async enterprises(
    regionCode: string,
    page: PageArgs,
    ctx: CommerceContext,
  ): Promise<EnterpriseConnection> {
    await heldRegionCode(ctx, regionCode, 'regionCode', { village: true });
    const column = regionCode.length > 6 ? 'villageCode' : 'countyCode';
    const where = { [column]: codesUnder(regionCode) };
    return pageById(ctx.em, Enterprise, where, listPage(page, 'enterprises', regionCode));
  }

  @FieldResolver(() => [Platform], { description: 'Platforms it sells on.' })
  platforms(@Root() e: Enterprise): Platform[] {
    return e.platforms.split(',').filter(Boolean) as Platform[];
  }

  @FieldResolver(() => EcommercePark, { nullable: true, description: 'Park hosting it.' })
  park(@Root() e: Enterprise, @Ctx() ctx: CommerceContext) {
    return e.parkId ? ctx.loaders.enterprises.parkById.load(e.parkId) : null;
  }

  // The seeded years (2020, 2021); sales reports update them, none adds one. Priced as the
  // default 20, a park's enterprises with their years cost ten times their work.
  @Directive('@listSize(assumedSize: 2)')
  @FieldResolver(() => [EnterpriseYear], { description: 'Yearly figures, by year.' })
  years(@Root() e: Enterprise, @Ctx() ctx: CommerceContext) {
    return ctx.loaders.enterprises.enterpriseYears.load(e.id);
  }

  @ConnectionField(() => OnlineStoreConnection, 'Online stores it runs, by id.')
  stores(@Root() e: Enterprise, @Ctx() ctx: CommerceContext, @Args(() => PageArgs) page: PageArgs) {
    return storeConnection(ctx.loaders.stores.storePagesByEnterprise, 'Enterprise', e.id, page);
  }
}

@Resolver(() => EnterpriseYear)
export class EnterpriseYearResolver {
  @FieldResolver(() => Money, { description: 'Revenue from online sales in the year.' })
  onlineRevenue(@Root() y: EnterpriseYear): Money {
    return money(y.onlineRevenueFen);
  }

  @FieldResolver(() => Money, { nullable: true, description: 'Offline revenue, where known.' })
  offlineRevenue(@Root() y: EnterpriseYear): Money | null {
    return y.offlineRevenueFen === null ? null : money(y.offlineRevenueFen);
  }
}

export function resolveEnterpriseReference(ref: { id: string }, ctx: CommerceContext) {
  return ctx.loaders.enterprises.enterpriseById.load(ref.id);
}
