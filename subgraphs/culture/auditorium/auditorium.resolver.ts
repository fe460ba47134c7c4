import { raw, type FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { badUserInput } from '../../shared/errors.js';
import {
  ConnectionQuery,
  ConnectionField,
  PageArgs,
  countedPageById,
  listPage,
} from '../../shared/pagination.js';
import { monthRange } from '../../shared/arguments.js';
import { heldRegionCode } from '../../shared/loaded-scope.js';
import type { CultureContext } from '../context.js';
import { DigitalResource } from '../resource/digital-resource.entity.js';
import { AuditoriumMonthlyUsage } from '../usage/auditorium-usage.entity.js';
import { Village } from '../village/village.reference.js';
import { Auditorium } from './auditorium.entity.js';
import {
  AuditoriumConnection,
  AuditoriumEventConnection,
  AuditoriumFilter,
} from './auditorium.inputs.js';
import { ByIdQuery } from '../../shared/by-id.js';
import { codesUnder } from '../../shared/code-range.js';
import { MonthRangeField } from '../../shared/months.js';

function auditoriumWhere(filter?: AuditoriumFilter, region?: string): FilterQuery<Auditorium> {
  const and: FilterQuery<Auditorium>[] = [];
  if (region) and.push({ villageCode: codesUnder(region) });
  // Services are a JSON array; its text form holds each value in quotes on both engines.
  if (filter?.service) {
    const text = raw((alias) => `cast(${alias}.services as text)`);
    and.push({ [text]: { $like: `%"${filter.service}"%` } } as FilterQuery<Auditorium>);
  }
  if (filter?.digitalServiceHub !== undefined && filter.digitalServiceHub !== null) {
    and.push({ digitalServiceHub: filter.digitalServiceHub });
  }
  return and.length ? { $and: and } : {};
}

@Resolver(() => Auditorium)
export class AuditoriumResolver {
  @ByIdQuery(() => Auditorium, 'A culture auditorium by id.')
  auditorium(id: string, ctx: CultureContext) {
    return ctx.loaders.auditoriumById.load(id);
  }

  @ConnectionQuery(
    () => AuditoriumConnection,
    'Culture auditoriums matching a filter, a page at a time, ordered by id.',
  )
  async auditoriums(
    @Ctx() ctx: CultureContext,
    @Arg('filter', () => AuditoriumFilter, { nullable: true }) filter: AuditoriumFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<AuditoriumConnection> {
    const code = filter?.regionCode;
    const region =
      code === null || code === undefined
        ? undefined
        : await heldRegionCode(ctx, code, 'filter.regionCode', { village: true });
    // A filter for each query: a raw() fragment (the services filter) serves one query only.
    const where = () => auditoriumWhere(filter, region);
    const requested = listPage(page, 'auditoriums', filter);
    return countedPageById(AuditoriumConnection, ctx.em, Auditorium, where, requested);
  }

  @FieldResolver(() => Village, { description: 'The village the auditorium serves.' })
  village(@Root() a: Auditorium): Village {
    return Object.assign(new Village(), { code: a.villageCode });
  }

  @FieldResolver(() => [DigitalResource], {
    description: 'Digital resources offered here (a dozen at most), by id.',
  })
  async resources(@Root() a: Auditorium, @Ctx() ctx: CultureContext) {
    return (await ctx.loaders.resourcesOfAuditorium.load(a.id)).map((p) => p.resource);
  }

  @ConnectionField(() => AuditoriumEventConnection, 'Events held here, newest first.')
  async events(
    @Root() a: Auditorium,
    @Ctx() ctx: CultureContext,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<AuditoriumEventConnection> {
    const { limit, cursor, connection } = listPage(page, 'Auditorium.events', a.id);
    if (cursor !== null && !/^\d{4}-\d{2}-\d{2}\|.+$/.test(cursor)) {
      throw badUserInput('`after` is not a cursor returned by this API.', 'after');
    }
    const rows = await ctx.loaders.eventPages.load({ auditoriumId: a.id, limit, after: cursor });
    return Object.assign(
      new AuditoriumEventConnection(),
      connection(rows, (e) => `${e.date}|${e.id}`),
    );
  }

  @MonthRangeField(
    () => [AuditoriumMonthlyUsage],
    'Monthly usage figures from `from` to `to` (YYYY-MM, at most 120 months).',
  )
  usage(
    a: Auditorium,
    ctx: CultureContext,
    from: string,
    to: string,
  ): Promise<AuditoriumMonthlyUsage[]> {
    assertMonthRange(from, to);
    return ctx.loaders.usageOfAuditorium.load({ auditoriumId: a.id, from, to });
  }
}

/** A month range of at most ten years, `from` not after `to` (the shared argument rules). */
export function assertMonthRange(from: string, to: string): void {
  monthRange(from, to);
}

export function resolveAuditoriumReference(ref: { id: string }, ctx: CultureContext) {
  return ctx.loaders.auditoriumById.load(ref.id);
}
