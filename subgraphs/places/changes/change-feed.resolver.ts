import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
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
import { IDENTITY_HEADER, signIdentity } from '../../../contract/identity.js';
import { SERVICE_IDENTITY_KIND } from '../../shared/changes.js';
import { answerNotCacheable } from '../../shared/cache-policy.js';
import { badUserInput } from '../../shared/errors.js';
import type { PlacesContext } from '../context.js';
import { Village } from '../village/village.entity.js';
import {
  FEED_DOMAINS,
  checkWithinEnds,
  decodePositions,
  encodePositions,
  mergePage,
  type FeedDomain,
  type Outbox,
  type Positions,
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
/** GraphQL's largest Int: as `after`, a read that returns only where an outbox ends. */
const INT_MAX = 2_147_483_647;
const MAX_FIRST = 1_000;
/** How long one domain may take to answer a page. */
const OUTBOX_TIMEOUT_MS = 5_000;

const unavailable = () =>
  new GraphQLError(
    'The change feed is unavailable: a domain did not answer. Retry with the same cursor.',
    { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } },
  );

/** One domain's rows after `after`, from its subgraph, signed as the places service. */
async function readOutbox(
  ctx: PlacesContext,
  domain: FeedDomain,
  after: number,
  first: number,
): Promise<Outbox> {
  const url = ctx.services.peers[domain];
  if (!url) throw unavailable();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [IDENTITY_HEADER]: signIdentity(
          { id: 'service:places', kind: SERVICE_IDENTITY_KIND, scopes: [] },
          ctx.services.sharedSecret,
        ),
      },
      body: JSON.stringify({
        query:
          'query Outbox($after: Int!, $first: Int!) { _outbox(after: $after, first: $first) ' +
          '{ end rows { id villageCode regionCode what changedAt } } }',
        variables: { after, first },
      }),
      signal: AbortSignal.timeout(OUTBOX_TIMEOUT_MS),
    });
    const body = (await res.json()) as { data?: { _outbox?: Outbox }; errors?: unknown[] };
    if (!res.ok || body.errors?.length || !body.data?._outbox) throw new Error(`${res.status}`);
    return body.data._outbox;
  } catch (err) {
    ctx.log.warn({ err: (err as Error).message, domain }, 'change outbox unreachable');
    throw unavailable();
  }
}

@Resolver(() => VillageChange)
export class VillageChangeResolver {
  // Costed by the page it asks for (the gateway's cost limit), 100 without `first`.
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
    @Arg('first', () => Int, { nullable: true, description: 'Changes per page, 1 to 1000.' })
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
    const from: Positions | undefined = since == null ? undefined : decodePositions(since);
    // Without `since`: where every outbox ends now (read with no rows).
    const outboxes = Object.fromEntries(
      await Promise.all(
        FEED_DOMAINS.map(async (d) => [
          d,
          await readOutbox(ctx, d, from ? from[d] : INT_MAX, from ? size : 1),
        ]),
      ),
    ) as Record<FeedDomain, Outbox>;
    if (!from) {
      const end = Object.fromEntries(FEED_DOMAINS.map((d) => [d, outboxes[d].end])) as Positions;
      return { nodes: [], pageInfo: { endCursor: encodePositions(end), hasNextPage: false } };
    }
    checkWithinEnds(from, outboxes);
    const page = mergePage(from, outboxes, size, size);
    return {
      nodes: page.changes.map((c) =>
        Object.assign(new VillageChange(), { ...c, domains: c.domains as ChangeDomain[] }),
      ),
      pageInfo: { endCursor: encodePositions(page.positions), hasNextPage: page.more },
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
