import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { optionalRegionCode } from '../../shared/arguments.js';
import { isKnownDivision } from '../../shared/division-codes.js';
import { badUserInput, notLoaded } from '../../shared/errors.js';
import { ConnectionQuery, PageArgs } from '../../shared/pagination.js';
import { containsText } from '../../shared/text-filter.js';
import type { PlacesContext } from '../context.js';
import { Region, villagesOfKind } from '../region/region.entity.js';
import { Village } from './village.entity.js';
import { villagePageOf } from './village-page.js';
import { TOTAL_COUNT_DESCRIPTION, VillageConnection, VillageFilter } from './village.inputs.js';

const VILLAGE_CODE = /^\d{12}$/;

const REGION_PROPERTY = {
  2: 'provinceCode',
  4: 'cityCode',
  6: 'countyCode',
  9: 'townshipCode',
} as const;

export function assertVillageCode(code: string, argName = 'code'): void {
  if (!VILLAGE_CODE.test(code)) {
    throw badUserInput(`\`${argName}\` must be a 12-digit village code.`, argName);
  }
}

@Resolver(() => Village)
export class VillageResolver {
  @Query(() => Village, {
    nullable: true,
    description: 'A village-level unit by its 12-digit code.',
  })
  async village(
    @Arg('code', () => ID, { description: '12-digit official code.' }) code: string,
    @Ctx() ctx: PlacesContext,
  ): Promise<Village | null> {
    assertVillageCode(code);
    return ctx.loaders.villageByCode.load(code);
  }

  @ConnectionQuery(
    () => VillageConnection,
    'Villages matching a filter, a page at a time, ordered by code.',
  )
  async villages(
    @Ctx() ctx: PlacesContext,
    @Arg('filter', () => VillageFilter, { nullable: true }) filter: VillageFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<VillageConnection> {
    const where: Record<string, unknown> = {};
    const region = optionalRegionCode(filter?.regionCode, 'filter.regionCode');
    const { limit, cursor: afterCode, connection } = await villagePageOf(ctx, page, region);
    if (region) where[REGION_PROPERTY[region.length as keyof typeof REGION_PROPERTY]] = region;
    if (filter?.kind) where.kind = filter.kind;
    // The name condition is a raw fragment, which serves one query only: one for each.
    const named = () => {
      const name = containsText(ctx.em, 'name', filter?.nameContains, 'filter.nameContains');
      return (name ? { $and: [where, name] } : where) as FilterQuery<Village>;
    };
    const rows = await ctx.em.find(
      Village,
      afterCode ? { $and: [named(), { code: { $gt: afterCode } }] } : named(),
      { orderBy: { code: 'asc' }, limit: limit + 1 },
    );
    return Object.assign(new VillageConnection(), {
      ...connection(rows, (v) => v.code),
      // A region's count by kind was kept when the divisions were loaded; only a name search
      // (or no region) has to count rows.
      count: async () => {
        if (!region || filter?.nameContains) return ctx.em.count(Village, named());
        const r = await ctx.loaders.regionByCode.load(region);
        return r ? villagesOfKind(r, filter?.kind) : 0;
      },
    });
  }

  @FieldResolver(() => Region, {
    nullable: true,
    description: 'The township or street the village belongs to.',
  })
  township(@Root() v: Village, @Ctx() ctx: PlacesContext) {
    return ctx.loaders.regionByCode.load(v.townshipCode);
  }

  @FieldResolver(() => Region, { nullable: true, description: 'The county or district.' })
  county(@Root() v: Village, @Ctx() ctx: PlacesContext) {
    return ctx.loaders.regionByCode.load(v.countyCode);
  }

  @FieldResolver(() => Region, { nullable: true, description: 'The prefecture-level city.' })
  city(@Root() v: Village, @Ctx() ctx: PlacesContext) {
    return ctx.loaders.regionByCode.load(v.cityCode);
  }

  @FieldResolver(() => Region, { nullable: true, description: 'The province.' })
  province(@Root() v: Village, @Ctx() ctx: PlacesContext) {
    return ctx.loaders.regionByCode.load(v.provinceCode);
  }
}

@Resolver(() => VillageConnection)
export class VillageConnectionResolver {
  @FieldResolver(() => Int, { description: TOTAL_COUNT_DESCRIPTION })
  totalCount(@Root() conn: VillageConnection): Promise<number> {
    return conn.count();
  }
}

/** A village by the code of its representation; null for a code that is not a village's. */
export async function resolveVillageReference(
  ref: { code: string },
  ctx: PlacesContext,
): Promise<Village | null> {
  if (!VILLAGE_CODE.test(ref.code)) return null;
  const village = await ctx.loaders.villageByCode.load(ref.code);
  if (village) return village;
  // A village of the official list outside every scope places was loaded with: a domain loaded
  // wider refers to it. Not "unavailable" (as a null entity reads at the gateway): not loaded.
  const held = ctx.services.heldScope;
  if (held && !(await held.inScope(ref.code)) && held.known.length > 0) {
    if (await isKnownDivision(ref.code)) throw notLoaded(VILLAGE_NOT_LOADED);
  }
  return null;
}

const VILLAGE_NOT_LOADED =
  'This village is not in the list of places: it was loaded for fewer regions than the data ' +
  'that refers to it.';
