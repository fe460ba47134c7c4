import { Arg, Ctx, Directive, ID, Int, Query, Resolver } from 'type-graphql';
import { decodeCursor, pageSize, toConnection } from '../../shared/pagination.js';
import type { CommerceContext } from '../context.js';
import { assertRegionCode } from '../park/park.resolver.js';
import { ProcessingWorkshop, ProcessingWorkshopConnection } from './workshop.entity.js';
import { CONNECTION_LIST_SIZE } from '../../shared/schema.js';

@Resolver(() => ProcessingWorkshop)
export class WorkshopResolver {
  @Directive(CONNECTION_LIST_SIZE)
  @Query(() => ProcessingWorkshopConnection, {
    description:
      'Processing workshops (e.g. tea-leaf) in a region (2, 4, 6 or 9 digits), ordered by id.',
  })
  async processingWorkshops(
    @Ctx() ctx: CommerceContext,
    @Arg('regionCode', () => ID, { description: 'Province, city, county or township code.' })
    regionCode: string,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (default 20, max 100).' })
    first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the last item seen.' })
    after?: string,
  ): Promise<ProcessingWorkshopConnection> {
    assertRegionCode(regionCode, 'regionCode');
    const limit = pageSize(first);
    const cursor = decodeCursor(after);
    const rows = await ctx.em.find(
      ProcessingWorkshop,
      {
        villageCode: { $like: `${regionCode}%` },
        ...(cursor ? { id: { $gt: cursor } } : {}),
      },
      { orderBy: { id: 'asc' }, limit: limit + 1 },
    );
    return toConnection(rows, limit, cursor !== null, (w) => w.id);
  }
}
