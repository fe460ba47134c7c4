import { Arg, Args, Ctx, Directive, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { regionCode } from '../../shared/arguments.js';
import { ConnectionField, PageArgs } from '../../shared/pagination.js';
import { DIVISION_DATASET } from '../../shared/divisions.js';
import { Provenance, ProvenanceKind, provenance } from '../../shared/provenance.js';
import type { PlacesContext } from '../context.js';
import { VillageKind } from '../village/village.entity.js';
import { villagePageOf } from '../village/village-page.js';
import { VillageConnection } from '../village/village.inputs.js';
import { loadedScopesOf } from './loaded-scopes.js';
import { Region, levelOfCode, villagesOfKind } from './region.entity.js';

const DIVISION_PROVENANCE = provenance(ProvenanceKind.OFFICIAL, DIVISION_DATASET, '2023');

/**
 * Demand control's size of every `children` list, whatever the level (the schema is static): the
 * most children of a city in the division data the seeds load (26 counties; a province has at
 * most 21 cities), and 26² = 676 covers the most regions two levels down (5001: 650 townships).
 * A county has up to 52 townships (500101): one level of them is priced at half, where 52 priced
 * a province's counties' coverage, one culture statement, at 146 069.
 */
export const REGION_CHILDREN_SIZE = 26;

/** Demand control's size of `loadedScopes`: a deployment loads a handful of scopes. */
const LOADED_SCOPES_SIZE = 10;

@Resolver(() => Region)
export class RegionResolver {
  @Query(() => Region, {
    nullable: true,
    description: 'A region (province, city, county or township) by its code.',
  })
  region(
    @Arg('code', () => ID, { description: 'Official code of 2, 4, 6 or 9 digits.' }) code: string,
    @Ctx() ctx: PlacesContext,
  ): Promise<Region | null> {
    regionCode(code, 'code');
    return ctx.loaders.regionByCode.load(code);
  }

  // Demand control: 34 provincial-level divisions.
  @Directive('@listSize(assumedSize: 34)')
  @Query(() => [Region], {
    description: 'All provinces, autonomous regions and municipalities, by code.',
  })
  provinces(@Ctx() ctx: PlacesContext): Promise<Region[]> {
    return ctx.em.find(Region, { parentCode: null }, { orderBy: { code: 'asc' } });
  }

  @FieldResolver(() => Region, {
    nullable: true,
    description: 'The enclosing region; null for a province.',
  })
  parent(@Root() r: Region, @Ctx() ctx: PlacesContext) {
    return r.parentCode ? ctx.loaders.regionByCode.load(r.parentCode) : null;
  }

  // Demand control: the gateway prices each `children` list as the largest one.
  @Directive(`@listSize(assumedSize: ${REGION_CHILDREN_SIZE})`)
  @FieldResolver(() => [Region], {
    description: 'The regions one level down, by code (empty for a township).',
  })
  children(@Root() r: Region, @Ctx() ctx: PlacesContext) {
    return ctx.loaders.regionChildren.load(r.code);
  }

  /**
   * The scopes places was loaded with that lie inside or above the region, as code prefixes
   * ('' for national), for the domains (`@requires`, REGION_COUNTS): a domain refuses a region
   * where places holds villages under a prefix none of its own covers (loaded-scope.ts). Null
   * when places recorded no scope (a database loaded before it did): not known.
   */
  @Directive('@inaccessible')
  @Directive(`@listSize(assumedSize: ${LOADED_SCOPES_SIZE})`)
  @FieldResolver(() => [String], {
    nullable: true,
    description: 'Scopes places was loaded with inside or above this region (code prefixes).',
  })
  loadedScopes(@Root() r: Region, @Ctx() ctx: PlacesContext): Promise<string[] | null> {
    return loadedScopesOf(r, ctx.services.heldScope);
  }

  @FieldResolver(() => Provenance, {
    description: 'Source of the region, its name and its village counts.',
  })
  provenance(): Provenance {
    return DIVISION_PROVENANCE;
  }

  @ConnectionField(() => VillageConnection, 'Village-level units in this region, ordered by code.')
  async villages(
    @Root() r: Region,
    @Ctx() ctx: PlacesContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('kind', () => VillageKind, { nullable: true, description: 'Only villages of this kind.' })
    kind?: VillageKind,
  ): Promise<VillageConnection> {
    const { limit, cursor: afterCode, connection } = await villagePageOf(ctx, page, r.code);
    const rows = await ctx.loaders.villagePages.load({
      regionCode: r.code,
      limit,
      after: afterCode,
      kind: kind ?? null,
    });
    return Object.assign(new VillageConnection(), {
      ...connection(rows, (v) => v.code),
      // Counted when the divisions were loaded: a count of a province's villages of one kind
      // read all of them (14 aliased `provinces { villages(kind: OTHER) { totalCount } }`: 3.4 s).
      count: () => Promise.resolve(villagesOfKind(r, kind)),
    });
  }
}

/** A region by the code of its representation; null for a code that is not a region's. */
export function resolveRegionReference(
  ref: { code: string },
  ctx: PlacesContext,
): Promise<Region | null> | null {
  if (!levelOfCode(ref.code)) return null;
  return ctx.loaders.regionByCode.load(ref.code);
}
