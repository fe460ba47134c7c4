import type { GraphQLResolveInfo } from 'graphql';
import {
  Arg,
  Ctx,
  Directive,
  Info,
  Field,
  FieldResolver,
  ID,
  Int,
  ObjectType,
  Query,
  Resolver,
  Root,
  registerEnumType,
} from 'type-graphql';
import { MAX_OUTBOX_ROWS } from '../../shared/changes.js';
import { answerNotCacheable } from '../../shared/cache-policy.js';
import { badUserInput } from '../../shared/errors.js';
import type { PlacesContext } from '../context.js';
import { Village } from '../village/village.entity.js';
import {
  perDomain,
  readFromPosition,
  readNeighbours,
  readOutbox,
  unavailable,
} from './domain-outboxes.js';
import { checkGenerations, loadWatches, noticeRestores, raiseWatches } from './feed-watch.js';
import {
  FEED_DOMAINS,
  FIRST_GENERATIONS,
  checkStamps,
  checkWithin,
  checkWithinEnds,
  cursorKeys,
  decodeCursor,
  encodeCursor,
  mergePage,
  rowStamp,
  type FeedDomain,
  type Outbox,
  type OutboxRow,
  type Positions,
  type Stamps,
} from './change-feed.js';

export enum ChangeDomain {
  CULTURE = 'culture',
  HEALTHCARE = 'healthcare',
  COMMERCE = 'commerce',
}
registerEnumType(ChangeDomain, {
  name: 'ChangeDomain',
  description: 'A domain subgraph whose writes the change feed reports.',
});

@ObjectType({ description: 'A village (or region) whose data changed in one or more domains.' })
export class VillageChange {
  @Field(() => ID, {
    nullable: true,
    description: 'The village changed; null when the change is to a region only.',
  })
  villageCode!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The region of a region-level change (e.g. a township health centre).',
  })
  regionCode!: string | null;

  @Field(() => [ChangeDomain], { description: 'The domains whose data changed.' })
  domains!: ChangeDomain[];

  @Field(() => [String], {
    description: 'What changed, as the writes name it (auditoriumUsage, onlineStore, …).',
  })
  what!: string[];

  @Field({ description: 'When the latest of these changes was written (ISO 8601, UTC).' })
  changedAt!: string;
}

@ObjectType({ description: 'Where a page of the change feed ends.' })
export class VillageChangePageInfo {
  @Field({ description: 'Pass as `since` to read on; the same cursor when nothing changed.' })
  endCursor!: string;

  @Field({ description: 'Whether changes already recorded follow this page.' })
  hasNextPage!: boolean;
}

@ObjectType({ description: 'A page of the change feed.' })
export class VillageChangeConnection {
  @Field(() => [VillageChange], { description: 'Changes in the order they were recorded.' })
  nodes!: VillageChange[];

  @Field(() => VillageChangePageInfo)
  pageInfo!: VillageChangePageInfo;
}

const DEFAULT_FIRST = 100;
const MAX_FIRST = 1_000;
/** Each domain's generation, once the rows the feed saw last are read again (feed-watch.ts). */
async function currentGenerations(ctx: PlacesContext) {
  const knex = ctx.em.getKnex();
  return noticeRestores(knex, await loadWatches(knex), (d, after, n) =>
    readOutbox(ctx, d, after, n),
  );
}

/**
 * The cursor of where every outbox ends now: each end, then the row there for its stamp. Asked
 * from 0, an outbox ends at the last row every read replica holds (changes.ts): the partner's
 * export reads the villages from a replica, so a position past that would skip a change the
 * export did not see (asked from past the end, it answered the primary's end).
 */
async function feedEnd(ctx: PlacesContext): Promise<string> {
  const generations = await currentGenerations(ctx);
  const ends = await perDomain((d) => readOutbox(ctx, d, 0, 1));
  const positions = {} as Positions;
  const stamps = {} as Stamps;
  const seen: Partial<Record<FeedDomain, OutboxRow>> = {};
  const rows = await perDomain((d) =>
    ends[d].end > 0 ? readOutbox(ctx, d, ends[d].end - 1, 1) : Promise.resolve(ends[d]),
  );
  for (const d of FEED_DOMAINS) {
    positions[d] = ends[d].end;
    const row = rows[d].rows.find((r) => r.id === positions[d]);
    // The end row is committed (changes.ts): missing, the outbox is being restored under us.
    if (positions[d] > 0 && !row) throw unavailable();
    stamps[d] = row ? rowStamp(row) : '';
    seen[d] = row;
  }
  await raiseWatches(ctx.em.getKnex(), generations, seen);
  return encodeCursor({ positions, stamps, generations });
}

@Resolver(() => VillageChange)
export class VillageChangeResolver {
  // Costed by the page it asks for (the gateway's cost limit), 100 without `first`: a page
  // holds `first` nodes at most, ending within a change listed at more (mergePage).
  @Directive(
    '@listSize(slicingArguments: ["first"], sizedFields: ["nodes"], assumedSize: 100, requireOneSlicingArgument: false)',
  )
  @Query(() => VillageChangeConnection, {
    description:
      'Changes to villages (and regions) in every domain, in the order they were recorded, ' +
      'for partners who keep a copy: read from `since` (an `endCursor`), or, without it, from ' +
      'now on (no changes, and the cursor of the current end). No change is ever skipped, even ' +
      'when domains commit out of order (docs/partners.md, "Change feed").',
  })
  async villageChanges(
    @Arg('since', () => String, { nullable: true }) since: string | null,
    @Arg('first', () => Int, {
      nullable: true,
      description:
        'Nodes per page, 1 to 1000 (default 100): a page holds at most `first` nodes. A ' +
        'change at an auditorium is listed at its village and at every village helped there ' +
        '(47 at most in the national data); a page may end within those villages, and the ' +
        'next page goes on after the last one given.',
    })
    first: number | null,
    @Ctx() ctx: PlacesContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<VillageChangeConnection> {
    // Read from the domains' outboxes: their writes cannot tell a cache here to drop it.
    answerNotCacheable(ctx, info);
    const size = first ?? DEFAULT_FIRST;
    if (!Number.isInteger(size) || size < 1 || size > MAX_FIRST) {
      throw badUserInput(`\`first\` must be between 1 and ${MAX_FIRST}.`, 'first');
    }
    if (since == null)
      return { nodes: [], pageInfo: { endCursor: await feedEnd(ctx), hasNextPage: false } };
    // Signs a cursor that ends within a change, and checks one read back (feed-cursor.ts).
    const keys = cursorKeys([ctx.services.sharedSecret, ctx.services.previousSecret]);
    const cursor = decodeCursor(since, keys);
    const generations = await currentGenerations(ctx);
    checkGenerations(cursor.generations ?? FIRST_GENERATIONS, generations);
    const from = cursor.positions;
    // From each position's own row (its id − 1), read again to check it is the same row.
    const asked = (d: FeedDomain) => (from[d] > 0 ? Math.min(size + 1, MAX_OUTBOX_ROWS) : size);
    const read = await perDomain((d) => readFromPosition(ctx, d, from[d], asked(d)));
    checkWithinEnds(from, read);
    const atPosition = {} as Record<FeedDomain, OutboxRow | undefined>;
    const outboxes = {} as Record<FeedDomain, Outbox>;
    const limits = {} as Record<FeedDomain, number>;
    for (const d of FEED_DOMAINS) {
      atPosition[d] = read[d].rows.find((r) => r.id === from[d]);
      outboxes[d] = { end: read[d].end, rows: read[d].rows.filter((r) => r.id > from[d]) };
      limits[d] = from[d] > 0 ? asked(d) - 1 : asked(d);
    }
    const behind = new Set(FEED_DOMAINS.filter((d) => read[d].behind));
    // A first-version cursor has no stamp to keep there: it waits as for a domain down.
    if (!cursor.stamps && behind.size > 0) throw unavailable();
    const stamps = checkStamps(cursor, atPosition, behind);
    checkWithin(cursor.within, outboxes.culture.rows[0], behind.has('culture'));
    const neighbours = await readNeighbours(ctx, outboxes.culture);
    const page = mergePage(from, outboxes, size, limits, neighbours, cursor.within);
    const seen = Object.fromEntries(FEED_DOMAINS.map((d) => [d, read[d].rows.at(-1)]));
    await raiseWatches(ctx.em.getKnex(), generations, seen);
    return {
      nodes: page.changes.map((c) =>
        Object.assign(new VillageChange(), { ...c, domains: c.domains as ChangeDomain[] }),
      ),
      pageInfo: {
        endCursor: encodeCursor({
          positions: page.positions,
          stamps: { ...stamps, ...page.last },
          generations,
          within: page.within,
          key: keys[0],
        }),
        hasNextPage: page.more,
      },
    };
  }

  @FieldResolver(() => Village, {
    nullable: true,
    description: 'The village now, with any of its fields from every subgraph.',
  })
  async village(@Root() change: VillageChange, @Ctx() ctx: PlacesContext): Promise<Village | null> {
    if (!change.villageCode) return null;
    return (await ctx.loaders.villageByCode.load(change.villageCode)) ?? null;
  }
}
