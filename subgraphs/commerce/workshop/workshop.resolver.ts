import { Arg, Args, Ctx, ID, Resolver } from 'type-graphql';
import { ConnectionQuery, PageArgs, pageById } from '../../shared/pagination.js';
import type { CommerceContext } from '../context.js';
import { regionCode as checkRegionCode } from '../../shared/arguments.js';
import { ProcessingWorkshop, ProcessingWorkshopConnection } from './workshop.entity.js';

@Resolver(() => ProcessingWorkshop)
export class WorkshopResolver {
  @ConnectionQuery(
    () => ProcessingWorkshopConnection,
    'Processing workshops (e.g. tea-leaf) in a region (2, 4, 6 or 9 digits), ordered by id.',
  )
  async processingWorkshops(
    @Ctx() ctx: CommerceContext,
    @Arg('regionCode', () => ID, { description: 'Province, city, county or township code.' })
    regionCode: string,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ProcessingWorkshopConnection> {
    checkRegionCode(regionCode, 'regionCode');
    const where = { villageCode: { $like: `${regionCode}%` } };
    return pageById(ctx.em, ProcessingWorkshop, where, page);
  }
}
