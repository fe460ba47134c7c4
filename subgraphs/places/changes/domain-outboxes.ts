import { GraphQLError } from 'graphql';
import { IDENTITY_HEADER, signIdentity } from '../../../contract/identity.js';
import { SERVICE_IDENTITY_KIND } from '../../shared/changes.js';
import type { PlacesContext } from '../context.js';
import { FEED_DOMAINS, type FeedDomain, type Outbox } from './change-feed.js';

/**
 * The change feed's reads of the domains' outboxes (and of healthcare's assistance points), over
 * the signed identity of the places service (docs/partners.md, "Change feed").
 */

/**
 * How long the reads of one page (or of the feed's end) may take together. A page reads in up to
 * three rounds (the watched rows, the rows from the cursor, healthcare's neighbours; the end: the
 * watched rows, the ends, the rows there), and each read had 5 s of its own: a domain answering
 * in 4.5 s made a page take 13.5 s, past the gateway's 10 s for places, whose breaker then
 * counted each poll and opened for every village profile. Within this budget places answers
 * SUBGRAPH_UNAVAILABLE itself, well before the gateway gives up on it.
 */
const PAGE_BUDGET_MS = 7_000;

/** Each request's deadline for its outbox reads, from its first one. */
const deadlines = new WeakMap<PlacesContext, AbortSignal>();

function pageDeadline(ctx: PlacesContext): AbortSignal {
  let signal = deadlines.get(ctx);
  if (!signal) {
    signal = AbortSignal.timeout(PAGE_BUDGET_MS);
    deadlines.set(ctx, signal);
  }
  return signal;
}

export const unavailable = () =>
  new GraphQLError(
    'The change feed is unavailable: a domain did not answer. Retry with the same cursor.',
    { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } },
  );

/** An internal query of a domain subgraph, signed as the places service; its `data`. */
export async function askDomain<T>(
  ctx: PlacesContext,
  domain: FeedDomain,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
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
      body: JSON.stringify({ query, variables }),
      signal: pageDeadline(ctx),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (!res.ok || body.errors?.length || !body.data) throw new Error(`${res.status}`);
    return body.data;
  } catch (err) {
    ctx.log.warn({ err: (err as Error).message, domain }, 'change feed: a domain did not answer');
    throw unavailable();
  }
}

/** One domain's rows after `after`. */
export async function readOutbox(
  ctx: PlacesContext,
  domain: FeedDomain,
  after: number,
  first: number,
): Promise<Outbox> {
  const data = await askDomain<{ _outbox?: Outbox }>(
    ctx,
    domain,
    'query Outbox($after: Int!, $first: Int!) { _outbox(after: $after, first: $first) ' +
      '{ end rows { id villageCode regionCode what changedAt } } }',
    { after, first },
  );
  if (!data._outbox) throw unavailable();
  return data._outbox;
}

/**
 * The villages helped at the auditoriums of the villages of culture's rows (healthcare's
 * assistance points), by auditorium village: their profiles show that auditorium, so a culture
 * change there is theirs too.
 */
export async function readNeighbours(
  ctx: PlacesContext,
  culture: Outbox,
): Promise<Map<string, string[]>> {
  const villageCodes = [...new Set(culture.rows.map((r) => r.villageCode).filter((c) => !!c))];
  const neighbours = new Map<string, string[]>();
  if (villageCodes.length === 0) return neighbours;
  const data = await askDomain<{
    _auditoriumNeighbours?: { auditoriumVillageCode: string; villageCode: string }[];
  }>(
    ctx,
    'healthcare',
    'query Neighbours($villageCodes: [ID!]!) { _auditoriumNeighbours(villageCodes: $villageCodes) ' +
      '{ auditoriumVillageCode villageCode } }',
    { villageCodes },
  );
  if (!data._auditoriumNeighbours) throw unavailable();
  for (const { auditoriumVillageCode: at, villageCode } of data._auditoriumNeighbours) {
    neighbours.set(at, [...(neighbours.get(at) ?? []), villageCode]);
  }
  return neighbours;
}

/**
 * A domain's rows from the row at `position` (a read after `position − 1`, to check that row).
 * Such a read ends before the position when a read replica is behind it (added, or restored,
 * behind the others): asked from the position itself, the outbox ends at it or past it unless
 * the primary's own outbox ends before it (the domain restored). A replica behind gives the
 * cursor nothing new, its row there as the cursor has it, until it catches up.
 */
export async function readFromPosition(
  ctx: PlacesContext,
  domain: FeedDomain,
  position: number,
  first: number,
): Promise<Outbox & { behind?: true }> {
  const read = await readOutbox(ctx, domain, Math.max(0, position - 1), first);
  if (position === 0 || read.end >= position || read.rows.length > 0) return read;
  if ((await readOutbox(ctx, domain, position, 1)).end < position) return read;
  return { end: position, rows: [], behind: true };
}

/** One read of every domain's outbox, at once. */
export async function perDomain<T extends Outbox>(
  read: (domain: FeedDomain) => Promise<T>,
): Promise<Record<FeedDomain, Awaited<T>>> {
  const outboxes = await Promise.all(FEED_DOMAINS.map(read));
  return Object.fromEntries(FEED_DOMAINS.map((d, i) => [d, outboxes[i]])) as Record<
    FeedDomain,
    Awaited<T>
  >;
}
