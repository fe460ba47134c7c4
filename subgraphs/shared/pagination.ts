import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Directive,
  Field,
  FieldResolver,
  ID,
  Int,
  ObjectType,
  Query,
  type ClassType,
} from 'type-graphql';
import type { EntityManager, EntityName, FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import { badUserInput } from './errors.js';
import { CONNECTION_LIST_SIZE } from './schema.js';
import { LIST_PREFIX, anotherList, decodeCursor, encodeCursor, listTag } from './cursors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@Directive('@shareable')
@ObjectType({ description: 'Relay pagination state of a connection.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether more items follow `endCursor`.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'Whether items precede `startCursor`.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of this page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of this page.' })
  endCursor!: string | null;
}

/** A Relay connection type for `node`: `<Name>Connection` with `<Name>Edge`s. */
export function Connection<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`, { description: `An edge to a ${name}.` })
  class Edge {
    @Field(() => String, { description: 'Opaque cursor of this edge.' })
    cursor!: string;

    @Field(() => node, { description: `The ${name}.` })
    node!: T;
  }

  // Never emitted itself (nothing returns it); the concrete `<Name>Connection` subclass is.
  @ObjectType(`${name}ConnectionBase`)
  abstract class ConnectionType {
    @Field(() => [Edge], { description: 'The page of edges.' })
    edges!: Edge[];

    @Field(() => PageInfo, { description: 'Pagination state.' })
    pageInfo!: PageInfo;
  }
  return ConnectionType;
}

/**
 * A connection that also answers `totalCount` (described by `totalCount`): the resolver fills
 * `count`, which counts every match and runs only when `totalCount` is selected.
 */
export function CountedConnection<T extends object>(
  name: string,
  node: ClassType<T>,
  totalCount: string,
) {
  // Never emitted itself (nothing returns it); the concrete `<Name>Connection` subclass is.
  @ObjectType(`${name}CountedConnectionBase`)
  abstract class Counted extends Connection(name, node) {
    count!: () => Promise<number>;

    @Field(() => Int, { description: totalCount })
    totalCount(): Promise<number> {
      return this.count();
    }
  }
  return Counted;
}

/**
 * A query (`ConnectionQuery`) or a field (`ConnectionField`) answering a page of a connection,
 * with the demand-control directive every connection carries (CONNECTION_LIST_SIZE: costed by
 * its `first`), so that none can be declared without it.
 */
export function ConnectionQuery(type: () => ClassType, description: string): MethodDecorator {
  return withListSize(Query(type, { description }));
}

/**
 * A root connection of the records standing in a region (`enterprises(regionCode: ID!, first,
 * after)`): `region` describes the code argument, `filter` an optional extra argument. The method
 * is called as `(regionCode, page, ctx)`, or `(regionCode, page, ctx, filter)`.
 */
export function RegionConnectionQuery(
  type: () => ClassType,
  description: string,
  region: string,
  filter?: { name: string; type: () => object; description: string },
): MethodDecorator {
  return (target, key, descriptor) => {
    // In the order stacked parameter decorators register them (last first), which is the order
    // type-graphql prints the arguments in: page, filter, regionCode.
    Args(() => PageArgs)(target, key, 1);
    if (filter) {
      const { name, description: about } = filter;
      Arg(name, filter.type, { nullable: true, description: about })(target, key, 3);
    }
    Arg('regionCode', () => ID, { description: region })(target, key, 0);
    Ctx()(target, key, 2);
    ConnectionQuery(type, description)(target, key, descriptor);
  };
}

export function ConnectionField(type: () => ClassType, description: string): MethodDecorator {
  return withListSize(FieldResolver(type, { description }));
}

function withListSize(decorate: MethodDecorator): MethodDecorator {
  return (target, key, descriptor) => {
    decorate(target, key, descriptor);
    Directive(CONNECTION_LIST_SIZE)(target, key, descriptor);
  };
}

/**
 * The `first` argument of a page (`what`: "Page size") or of a ranked list ("How many"): one
 * declaration, so that every field states the bounds `pageSize` applies in the same words.
 */
export function FirstArg(what: 'Page size' | 'How many' = 'Page size') {
  return Arg('first', () => Int, { nullable: true, description: pageSizeDescription(what) });
}

function pageSizeDescription(what: string): string {
  return `${what} (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}).`;
}

/** The arguments of a page of a connection: `first` (see FirstArg) and `after`. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: pageSizeDescription('Page size') })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item seen.' })
  after?: string | null;
}

/** The page `args` ask for, and how to answer it. */
export interface Page {
  /** Its size, checked by pageSize: fetch `limit + 1` rows to tell whether more follow. */
  limit: number;
  /** The sort key after which it starts (decoded from `after`), or null for the first page. */
  cursor: string | null;
  /** The connection of the rows fetched for it, in the order of `keyOf` (see toConnection). */
  connection<T>(rows: T[], keyOf: (row: T) => string): ConnectionPage<T>;
}

/**
 * `within`: a prefix every sort key of the list has (a region's villages: the region's code). A
 * cursor outside it is another list's, and would silently page from the wrong place (before the
 * list: all of it; after it: nothing), so it is refused like a malformed one. A list whose keys
 * say nothing of the list (ids: one village's stores, one auditorium's events, a region's
 * facilities) is named instead: see listPage.
 */
export function pageOf(args: PageArgs, within?: string): Page {
  const limit = pageSize(args.first);
  const cursor = decodeCursor(args.after);
  if (cursor !== null && within !== undefined && !cursor.startsWith(within)) {
    throw anotherList();
  }
  return pageAfter(limit, cursor, encodeCursor);
}

/**
 * The page of the list `list` names (the field, its parent, its other arguments: what picks
 * the rows), whose cursors carry a tag of that name. A cursor of another list, which would page
 * from wherever its key falls in this one (all of it, or nothing, with `hasNextPage: false`
 * beside a `totalCount` above zero), is refused, BAD_USER_INPUT at `after`.
 */
export function listPage(args: PageArgs, ...list: unknown[]): Page {
  const limit = pageSize(args.first);
  const prefix = `${LIST_PREFIX}${listTag(list)}:`;
  const cursor = decodeCursor(args.after, 'after', prefix);
  return pageAfter(limit, cursor, (key) => encodeCursor(key, prefix));
}

function pageAfter(limit: number, cursor: string | null, encode: (key: string) => string): Page {
  return {
    limit,
    cursor,
    connection: (rows, keyOf) => toConnection(rows, limit, cursor !== null, keyOf, encode),
  };
}

/** Validates `first` against the bounded page size. */
export function pageSize(first: number | null | undefined, argName = 'first'): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`\`${argName}\` must be between 0 and ${MAX_PAGE_SIZE}.`, argName);
  }
  return first;
}

/** A page of a connection as the resolvers answer it. */
interface ConnectionPage<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/**
 * Builds a page from rows fetched with `limit + 1` (the extra row tells whether a next page
 * exists) ordered by `keyOf`.
 */
function toConnection<T>(
  rows: T[],
  limit: number,
  hadCursor: boolean,
  keyOf: (row: T) => string,
  encode: (key: string) => string,
): ConnectionPage<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ cursor: encode(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: hadCursor,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/**
 * The page of `entity` rows matching `where`, ordered by their string `id`: the rows after the
 * page's cursor, one more than its size to tell whether more follow. `page` is the page of the
 * list they make (listPage: ids say nothing of the list they are in).
 */
export async function pageById<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  page: Page,
): Promise<ConnectionPage<T>> {
  const after = page.cursor === null ? where : { $and: [where, { id: { $gt: page.cursor } }] };
  const rows = await em.find(entity, after as FilterQuery<T>, {
    orderBy: { id: 'asc' } as QueryOrderMap<T>,
    limit: page.limit + 1,
  });
  return page.connection(rows, (row) => row.id);
}

/** The page of pageById as a counted connection `type`, with the count of all matches. */
export async function countedPageById<T extends { id: string }, C extends object>(
  type: new () => C,
  em: EntityManager,
  entity: EntityName<T>,
  where: () => FilterQuery<T>,
  requested: Page,
): Promise<C> {
  return Object.assign(new type(), {
    ...(await pageById(em, entity, where(), requested)),
    count: () => em.count(entity, where()),
  });
}
