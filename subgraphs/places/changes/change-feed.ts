import { createHash } from 'node:crypto';
import { badUserInput } from '../../shared/errors.js';
import {
  FEED_DOMAINS,
  type Cursor,
  type FeedDomain,
  type Positions,
  type Stamps,
  type Within,
} from './feed-cursor.js';

/**
 * The partners' change feed (docs/partners.md, "Change feed"): one feed over the change outboxes
 * of culture, healthcare and commerce (subgraphs/shared/changes.ts).
 *
 * The cursor is a position in each outbox: the id of the last row of that domain a reader has
 * been given. Each outbox's rows become visible in id order (changes.ts), so "the rows after my
 * position" never misses one that commits later, whatever the other domains do: a domain that
 * commits late, or out of step with the others, only appears later in the feed. Positions move
 * forward only by the rows handed out, so a page never skips what it did not return.
 *
 * A cursor also carries a stamp of the row at each position (`rowStamp`): a domain database
 * restored to an earlier state hands the same ids out anew, to other changes, and a position
 * taken before the restore would then skip them silently. The row at the position is read again
 * with every page and must be the row the cursor was given; if it is not, the cursor is refused
 * and the reader starts again (docs/partners.md). Cursors of the first version (`v1.`, no
 * stamps) are still read, without that check, and answered with a stamped one.
 *
 * A page holds at most `first` nodes, as a Relay connection promises (and demand control
 * prices it): a culture change listed at more villages than fit is given in part, and the
 * cursor says after which of its villages (`Within`, stamped as the positions are, and the cursor
 * signed: an edited village would skip the ones before it); the next page gives the rest of them
 * first. Its culture position stays before that change until then.
 */
export {
  FEED_DOMAINS,
  FIRST_GENERATIONS,
  cursorKeys,
  decodeCursor,
  encodeCursor,
  encodePositions,
  type Cursor,
  type FeedDomain,
  type Generations,
  type Positions,
  type Stamps,
  type Within,
} from './feed-cursor.js';

export interface OutboxRow {
  id: number;
  villageCode: string | null;
  regionCode: string | null;
  what: string;
  changedAt: string;
}

export interface Outbox {
  rows: OutboxRow[];
  /** The highest id committed, and held by every read replica, when the rows were read. */
  end: number;
}

export interface FeedChange {
  villageCode: string | null;
  regionCode: string | null;
  domains: FeedDomain[];
  what: string[];
  changedAt: string;
}

/** 48 bits of a hash of everything the row says: another change at the same id differs. */
export function rowStamp(row: OutboxRow): string {
  const text = [row.id, row.villageCode, row.regionCode, row.what, row.changedAt].join('\n');
  return createHash('sha256').update(text).digest('base64url').slice(0, 8);
}

/**
 * Refuses a cursor ahead of where an outbox ends: the feed never handed it out (ends only grow),
 * and read as given it would skip every change until the outbox caught up with it. A domain
 * database restored or reloaded to fewer changes makes earlier cursors so too: the reader starts
 * again (docs/partners.md).
 */
export function checkWithinEnds(
  from: Positions,
  outboxes: Record<FeedDomain, Outbox>,
  argName = 'since',
): void {
  if (FEED_DOMAINS.some((d) => from[d] > outboxes[d].end)) {
    // A cursor the feed did hand out, read after its domain was restored or reloaded (a backup,
    // a deleted database loaded again): the reader must start again, so say so.
    throw badUserInput(
      `\`${argName}\` is past the changes recorded: a domain's data was restored or reloaded ` +
        'to an earlier state (or this is not a cursor of this feed). Read from now on (no cursor) ' +
        'and export again.',
      argName,
    );
  }
}

/**
 * The row at each position, read again with the page (`atPosition`: the first row of a read
 * from the position's id − 1), must be the row the cursor was given: a domain database restored
 * to an earlier state hands the same ids out anew to other changes, and a cursor taken before
 * the restore would skip them. Without stamps (a first-version cursor) only its presence is
 * checked. Answers the stamps of the positions as they stand; those of `unread` (positions a
 * read replica has not reached yet) as the cursor gives them.
 */
export function checkStamps(
  cursor: Cursor,
  atPosition: Record<FeedDomain, OutboxRow | undefined>,
  unread: ReadonlySet<FeedDomain> = new Set(),
  argName = 'since',
): Stamps {
  const stamps = {} as Stamps;
  for (const d of FEED_DOMAINS) {
    const position = cursor.positions[d];
    if (position === 0) {
      stamps[d] = '';
      continue;
    }
    // Not read: a read replica is behind the position. Checked once it has caught up.
    if (unread.has(d) && cursor.stamps) {
      stamps[d] = cursor.stamps[d];
      continue;
    }
    const row = atPosition[d];
    const stamp = row?.id === position ? rowStamp(row) : undefined;
    if (stamp === undefined || (cursor.stamps && cursor.stamps[d] !== stamp)) {
      throw restored(argName);
    }
    stamps[d] = stamp;
  }
  return stamps;
}

const restored = (argName: string) =>
  badUserInput(
    `\`${argName}\` no longer matches the changes recorded: a domain's data was restored ` +
      'to an earlier state. Read from now on (no cursor) and export again.',
    argName,
  );

/**
 * The change a cursor ended within must be the first culture row after its position (`next`),
 * as it was given; else culture was restored to an earlier state, as for checkStamps. Not read
 * (a read replica behind the position): the page gives no culture change until it catches up.
 */
export function checkWithin(
  within: Within | undefined,
  next: OutboxRow | undefined,
  unread: boolean,
  argName = 'since',
): void {
  if (!within || unread) return;
  if (!next || rowStamp(next) !== within.stamp) throw restored(argName);
}

/**
 * The nodes a row is listed at, in the order a page gives them: its village (or region), then,
 * for culture, the villages helped there in code order. A page that ends within the change
 * resumes after the last village given (`Within.after`), so none is given twice or skipped.
 */
function placesOf(
  domain: FeedDomain,
  row: OutboxRow,
  neighbours?: ReadonlyMap<string, readonly string[]>,
  after?: string,
): string[] {
  const own = row.villageCode ?? `region:${row.regionCode ?? ''}`;
  if (domain !== 'culture' || !row.villageCode) return after === undefined ? [own] : [];
  const helped = [...new Set(neighbours?.get(row.villageCode) ?? [])]
    .filter((v) => v !== own)
    .sort();
  if (after === undefined) return [own, ...helped];
  return after === own ? helped : helped.filter((v) => v > after);
}

interface Taken {
  domain: FeedDomain;
  row: OutboxRow;
  /** The places of the row this page gives. */
  places: string[];
}

/**
 * One page: the rows after `from` of every domain (each list in id order, as read), merged by
 * time (ties: the domains' order), at most `first` of them and `first` nodes, and the positions
 * after them. Rows of one village within the page become one change (its domains and what
 * changed, at its latest time). `neighbours` maps a village to the other villages helped at its
 * auditorium (healthcare's assistance points): a culture change there is listed at them too,
 * and a page that would pass `first` nodes ends within such a change: `within` says where, and
 * the culture position stays before it. `within` given: the first culture row was given up to
 * that village, and the page starts with the rest of it. `more` is whether rows are left after
 * the page (read or not yet read); `last` the stamp of the last row taken whole of each domain
 * that moved.
 */
export function mergePage(
  from: Positions,
  outboxes: Record<FeedDomain, Outbox>,
  first: number,
  limitPerDomain: number | Record<FeedDomain, number>,
  neighbours?: ReadonlyMap<string, readonly string[]>,
  resume?: Within,
): {
  changes: FeedChange[];
  positions: Positions;
  more: boolean;
  last: Partial<Stamps>;
  within?: Within;
} {
  // A merge of the domains' lists by time, taking each list in id order: a domain's position
  // only ever moves over a prefix of its rows, whatever the clocks said.
  const next = Object.fromEntries(FEED_DOMAINS.map((d) => [d, 0])) as Record<FeedDomain, number>;
  const taken: Taken[] = [];
  const places = new Set<string>();
  let within: Within | undefined;
  let partial = resume !== undefined && outboxes.culture.rows.length > 0;
  while (taken.length < first && !within) {
    let pick: FeedDomain | undefined = partial ? 'culture' : undefined;
    for (const d of partial ? [] : FEED_DOMAINS) {
      const row = outboxes[d].rows[next[d]];
      if (!row) continue;
      if (!pick || row.changedAt < outboxes[pick].rows[next[pick]].changedAt) pick = d;
    }
    if (!pick) break;
    const row = outboxes[pick].rows[next[pick]];
    const listed = placesOf(pick, row, neighbours, partial ? resume!.after : undefined);
    partial = false;
    // The page is priced as `first` nodes: it gives a row's places while they fit.
    const given: string[] = [];
    for (const p of listed) {
      if (!places.has(p) && places.size >= first) break;
      places.add(p);
      given.push(p);
    }
    if (given.length === 0 && listed.length > 0) break;
    taken.push({ domain: pick, row, places: given });
    if (given.length < listed.length) within = { stamp: rowStamp(row), after: given.at(-1)! };
    else next[pick]++;
  }
  const positions = { ...from };
  const last: Partial<Stamps> = {};
  for (const d of FEED_DOMAINS) {
    if (next[d] === 0) continue;
    const row = outboxes[d].rows[next[d] - 1];
    positions[d] = row.id;
    last[d] = rowStamp(row);
  }
  const limit = (d: FeedDomain) =>
    typeof limitPerDomain === 'number' ? limitPerDomain : limitPerDomain[d];
  const more =
    within !== undefined ||
    FEED_DOMAINS.some(
      (d) =>
        next[d] < outboxes[d].rows.length ||
        (outboxes[d].rows.length >= limit(d) && outboxes[d].end > positions[d]),
    );
  // A cursor that ended within a change keeps it until the change is given whole.
  if (!within && resume && next.culture === 0) within = resume;
  return { changes: pageChanges(taken), positions, more, last, within };
}

/** The page's nodes: one per place, with every domain and what changed, at its latest time. */
function pageChanges(taken: Taken[]): FeedChange[] {
  const byPlace = new Map<string, FeedChange>();
  const add = (domain: FeedDomain, row: OutboxRow) => {
    const key = row.villageCode ?? `region:${row.regionCode ?? ''}`;
    const change = byPlace.get(key);
    if (!change) {
      byPlace.set(key, {
        villageCode: row.villageCode,
        regionCode: row.regionCode,
        domains: [domain],
        what: [row.what],
        changedAt: row.changedAt,
      });
      return;
    }
    // Delete and set again: the change moves to its latest time in the page's order.
    byPlace.delete(key);
    if (!change.domains.includes(domain)) change.domains.push(domain);
    if (!change.what.includes(row.what)) change.what.push(row.what);
    change.changedAt = row.changedAt;
    change.regionCode ??= row.regionCode;
    byPlace.set(key, change);
  };
  for (const { domain, row, places } of taken) {
    const own = row.villageCode ?? `region:${row.regionCode ?? ''}`;
    // The villages helped at this village's auditorium show it in their profiles too.
    for (const p of places)
      add(domain, p === own ? row : { ...row, villageCode: p, regionCode: null });
  }
  return [...byPlace.values()];
}
