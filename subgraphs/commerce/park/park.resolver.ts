import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { heldRegionCode } from '../../shared/loaded-scope.js';
import { RegionConnectionQuery, PageArgs, listPage, pageById } from '../../shared/pagination.js';
import type { CommerceContext } from '../context.js';
import { Enterprise } from '../enterprise/enterprise.entity.js';
import { EcommerceParkConnection } from '../enterprise/enterprise.inputs.js';
import { EcommercePark, PARK_ENTERPRISES_SIZE } from './park.entity.js';
import { ByIdQuery } from '../../shared/by-id.js';
import { codesUnder } from '../../shared/code-range.js';

@Resolver(() => EcommercePark)
export class ParkResolver {
  @ByIdQuery(() => EcommercePark, 'An e-commerce park by id.')
  ecommercePark(id: string, ctx: CommerceContext) {
    return ctx.loaders.enterprises.parkById.load(id);
  }

  @RegionConnectionQuery(
    () => EcommerceParkConnection,
    'E-commerce industrial parks in a region (2, 4 or 6 digits), ordered by id.',
    'Province, city or county code.',
  )
  async ecommerceParks(
    regionCode: string,
    page: PageArgs,
    ctx: CommerceContext,
  ): Promise<EcommerceParkConnection> {
    await heldRegionCode(ctx, regionCode, 'regionCode');
    const where = { countyCode: codesUnder(regionCode.slice(0, 6)) };
    return pageById(ctx.em, EcommercePark, where, listPage(page, 'ecommerceParks', regionCode));
  }

  @Directive(`@listSize(assumedSize: ${PARK_ENTERPRISES_SIZE})`)
  @FieldResolver(() => [Enterprise], { description: 'Enterprises hosted in the park.' })
  enterprises(@Root() park: EcommercePark, @Ctx() ctx: CommerceContext) {
    return ctx.loaders.enterprises.enterprisesByPark.load(park.id);
  }
}
