import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import {
  ConnectionQuery,
  ConnectionField,
  PageArgs,
  countedPageById,
  listPage,
} from '../../shared/pagination.js';
import { AuditoriumConnection } from '../auditorium/auditorium.inputs.js';
import type { CultureContext } from '../context.js';
import { AuditoriumResource, DigitalResource } from './digital-resource.entity.js';
import { DigitalResourceConnection, DigitalResourceFilter } from './digital-resource.inputs.js';
import { ByIdQuery } from '../../shared/by-id.js';
import { containsText } from '../../shared/text-filter.js';

/** The catalogue filter as a MikroORM condition (an auditorium offers a dozen items at most). */
async function resourceWhere(filter: DigitalResourceFilter | undefined, ctx: CultureContext) {
  const where: Record<string, unknown> = {};
  for (const key of ['kind', 'topic', 'dialect', 'language', 'format'] as const) {
    if (filter?.[key]) where[key] = filter[key];
  }
  const titled = () => containsText(ctx.em, 'title', filter?.titleContains, 'filter.titleContains');
  titled(); // checks the text before anything is read
  if (filter?.auditoriumId) {
    const links = await ctx.em.find(AuditoriumResource, { auditoriumId: filter.auditoriumId });
    where.id = { $in: links.map((l) => l.resourceId) };
  }
  // The title condition is a raw fragment, which serves one query only: one for each.
  return () => {
    const title = titled();
    return (title ? { $and: [where, title] } : where) as FilterQuery<DigitalResource>;
  };
}

@Resolver(() => DigitalResource)
export class DigitalResourceResolver {
  @ByIdQuery(() => DigitalResource, 'A catalogue item by id.')
  digitalResource(id: string, ctx: CultureContext) {
    return ctx.loaders.resourceById.load(id);
  }

  @ConnectionQuery(
    () => DigitalResourceConnection,
    'The digital resource catalogue (e-books, dialect lessons, traditional-culture courses), ' +
      'filtered, a page at a time, ordered by id.',
  )
  async digitalResources(
    @Ctx() ctx: CultureContext,
    @Arg('filter', () => DigitalResourceFilter, { nullable: true })
    filter: DigitalResourceFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<DigitalResourceConnection> {
    const requested = listPage(page, 'digitalResources', filter);
    const where = await resourceWhere(filter, ctx);
    return countedPageById(DigitalResourceConnection, ctx.em, DigitalResource, where, requested);
  }

  @FieldResolver(() => Int, { description: 'Number of auditoriums offering this resource.' })
  offeredByCount(@Root() r: DigitalResource, @Ctx() ctx: CultureContext): Promise<number> {
    return ctx.loaders.offeredByCount.load(r.id);
  }

  @ConnectionField(() => AuditoriumConnection, 'Auditoriums offering this resource, ordered by id.')
  async offeredBy(
    @Root() r: DigitalResource,
    @Ctx() ctx: CultureContext,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<AuditoriumConnection> {
    const {
      limit,
      cursor: afterId,
      connection,
    } = listPage(page, 'DigitalResource.offeredBy', r.id);
    const rows = await ctx.loaders.offeredByPages.load({ resourceId: r.id, limit, after: afterId });
    return Object.assign(new AuditoriumConnection(), {
      ...connection(rows, (a) => a.id),
      count: () => ctx.loaders.offeredByCount.load(r.id),
    });
  }
}
