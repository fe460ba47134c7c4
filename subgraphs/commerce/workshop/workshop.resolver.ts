import { Resolver } from 'type-graphql';
import { RegionConnectionQuery, PageArgs, listPage, pageById } from '../../shared/pagination.js';
import type { CommerceContext } from '../context.js';
import { heldRegionCode } from '../../shared/loaded-scope.js';
import { codesUnder } from '../../shared/code-range.js';
import { ProcessingWorkshop, ProcessingWorkshopConnection } from './workshop.entity.js';

@Resolver(() => ProcessingWorkshop)
export class WorkshopResolver {
  @RegionConnectionQuery(
    () => ProcessingWorkshopConnection,
    'Processing workshops (e.g. tea-leaf) in a region (2, 4, 6 or 9 digits), ordered by id.',
    'Province, city, county or township code.',
  )
  async processingWorkshops(
    regionCode: string,
    page: PageArgs,
    ctx: CommerceContext,
  ): Promise<ProcessingWorkshopConnection> {
    await heldRegionCode(ctx, regionCode, 'regionCode');
    const where = { villageCode: codesUnder(regionCode) };
    const requested = listPage(page, 'processingWorkshops', regionCode);
    return pageById(ctx.em, ProcessingWorkshop, where, requested);
  }
}
