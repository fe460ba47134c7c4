import { createHash } from 'node:crypto';
import { badUserInput } from '../../shared/errors.js';

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
 */
export const FEED_DOMAINS = ['culture', 'healthcare', 'commerce'] as const;
export type FeedDomain = (typeof FEED_DOMAINS)[number];
export type Positions = Record<FeedDomain, number>;

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

/** The stamp of a position per domain: `rowStamp` of the row there, '' at position 0. */
export type Stamps = Record<FeedDomain, string>;

/** Each domain's generation (feed-watch.ts): '' until a restore of it was noticed. */
export type Generations = Record<FeedDomain, string>;

export const FIRST_GENERATIONS: Generations = { culture: '', healthcare: '', commerce: '' };

export interface Cursor {
  positions: Positions;
  /** Absent in a first-version cursor. */
  stamps?: Stamps;
  /** The generations it was handed out in (absent: FIRST_GENERATIONS, as v1 and v2). */
  generations?: Generations;
}

const V1 = 'v1.';
const V2 = 'v2.';
const V3 = 'v3.';
const STAMP = /^[A-Za-z0-9_-]{8}$/;
const GENERATION = /^([A-Za-z0-9_-]{8})?$/;

/** 48 bits of a hash of everything the row says: another change at the same id differs. */
export function rowStamp(row: OutboxRow): string {
  const text = [row.id, row.villageCode, row.regionCode, row.what, row.changedAt].join('\n');
  return createHash('sha256').update(text).digest('base64url').slice(0, 8);
}

/** A first-version cursor: positions only (still read by decodeCursor; no longer handed out). */
export function encodePositions(p: Positions): string {
  return V1 + Buffer.from(FEED_DOMAINS.map((d) => p[d]).join('.')).toString('base64url');
}

/** A cursor as handed out: v2 (positions and stamps) in the first generations, else v3. */
export function encodeCursor(cursor: {
  positions: Positions;
  stamps: Stamps;
  generations?: Generations;
}): string {
  const { positions, stamps, generations = FIRST_GENERATIONS } = cursor;
  const first = FEED_DOMAINS.every((d) => generations[d] === '');
  const text = [positions, stamps, ...(first ? [] : [generations])]
    .map((values) => FEED_DOMAINS.map((d) => values[d]).join('.'))
    .join('~');
  return (first ? V2 : V3) + Buffer.from(text).toString('base64url');
}

const notACursor = (argName: string) =>
  badUserInput(`\`${argName}\` is not a cursor of this feed.`, argName);

/**
 * The positions (and stamps) of a cursor; BAD_USER_INPUT for anything this feed did not hand
 * out: only the exact text `encodeCursor` (or, before it, `encodePositions`) writes is read (no
 * padding, no stray characters, no leading zeros, a stamp exactly where the position is not 0).
 * Positions past the outboxes' ends, or whose rows changed, are refused once those are read
 * (checkWithinEnds, checkStamps).
 */
export function decodeCursor(cursor: string, argName = 'since'): Cursor {
  const bad = () => notACursor(argName);
  const version = cursor.slice(0, V1.length);
  if (cursor.length > 200 || ![V1, V2, V3].includes(version)) throw bad();
  const text = Buffer.from(cursor.slice(version.length), 'base64url').toString('utf8');
  const [numbers, stampText, generationText, ...extra] = text.split('~');
  const parts = numbers.split('.');
  if (
    parts.length !== FEED_DOMAINS.length ||
    !parts.every((p) => /^\d{1,10}$/.test(p) && Number(p) <= 2_147_483_647) ||
    extra.length > 0 ||
    (version !== V1) !== (stampText !== undefined) ||
    (version === V3) !== (generationText !== undefined)
  ) {
    throw bad();
  }
  const positions = Object.fromEntries(
    FEED_DOMAINS.map((d, i) => [d, Number(parts[i])]),
  ) as Positions;
  const generations = { ...FIRST_GENERATIONS };
  if (version === V1) {
    if (encodePositions(positions) !== cursor) throw bad();
    return { positions };
  }
  const given = stampText.split('.');
  const stamps = Object.fromEntries(FEED_DOMAINS.map((d, i) => [d, given[i]])) as Stamps;
  const gens = generationText?.split('.') ?? [];
  if (version === V3) FEED_DOMAINS.forEach((d, i) => (generations[d] = gens[i] ?? '!'));
  const wellFormed =
    given.length === FEED_DOMAINS.length &&
    FEED_DOMAINS.every((d) => (positions[d] === 0 ? stamps[d] === '' : STAMP.test(stamps[d]))) &&
    (version === V2 ||
      (gens.length === FEED_DOMAINS.length && gens.every((g) => GENERATION.test(g))));
  if (!wellFormed || encodeCursor({ positions, stamps, generations }) !== cursor) throw bad();
  return version === V3 ? { positions, stamps, generations } : { positions, stamps };
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
      throw badUserInput(
        `\`${argName}\` no longer matches the changes recorded: a domain's data was restored ` +
          'to an earlier state. Read from now on (no cursor) and export again.',
        argName,
      );
    }
    stamps[d] = stamp;
  }
  return stamps;
}

/** The nodes a row is listed at: its village (or region), for culture the villages helped there. */
function placesOf(
  domain: FeedDomain,
  row: OutboxRow,
  neighbours?: ReadonlyMap<string, readonly string[]>,
): string[] {
  const own = row.villageCode ?? `region:${row.regionCode ?? ''}`;
  if (domain !== 'culture' || !row.villageCode) return [own];
  return [own, ...(neighbours?.get(row.villageCode) ?? []).filter((v) => v !== own)];
}

/**
 * One page: the rows after `from` of every domain (each list in id order, as read), merged by
 * time (ties: the domains' order), the first `first` of them, and the positions after them. Rows of
 * one village within the page become one change (its domains and what changed, at its latest
 * time). `more` is whether rows are left after the page (read or not yet read); `last` the
 * stamp of the last row taken of each domain that moved. `neighbours` maps a village to the other
 * villages helped at its auditorium (healthcare's assistance points): a culture change there is
 * listed at them too. The page ends before its nodes would pass `first`, so it holds at most
 * `first` nodes, or those of its one change when that change alone is listed at more.
 */
export function mergePage(
  from: Positions,
  outboxes: Record<FeedDomain, Outbox>,
  first: number,
  limitPerDomain: number | Record<FeedDomain, number>,
  neighbours?: ReadonlyMap<string, readonly string[]>,
): { changes: FeedChange[]; positions: Positions; more: boolean; last: Partial<Stamps> } {
  // A merge of the domains' lists by time, taking each list in id order: a domain's position
  // only ever moves over a prefix of its rows, whatever the clocks said.
  const next = Object.fromEntries(FEED_DOMAINS.map((d) => [d, 0])) as Record<FeedDomain, number>;
  const taken: { domain: FeedDomain; row: OutboxRow }[] = [];
  const places = new Set<string>();
  while (taken.length < first) {
    let pick: FeedDomain | undefined;
    for (const d of FEED_DOMAINS) {
      const row = outboxes[d].rows[next[d]];
      if (!row) continue;
      if (!pick || row.changedAt < outboxes[pick].rows[next[pick]].changedAt) pick = d;
    }
    if (!pick) break;
    const row = outboxes[pick].rows[next[pick]];
    // The page is priced as `first` nodes: it ends before a change listed at more villages
    // would pass that (always one change, so its position moves).
    const added = placesOf(pick, row, neighbours).filter((p) => !places.has(p));
    if (taken.length > 0 && places.size + added.length > first) break;
    for (const p of added) places.add(p);
    taken.push({ domain: pick, row });
    next[pick]++;
  }
  const positions = { ...from };
  const last: Partial<Stamps> = {};
  for (const { domain, row } of taken) positions[domain] = row.id;
  for (const d of FEED_DOMAINS) {
    if (next[d] > 0) last[d] = rowStamp(outboxes[d].rows[next[d] - 1]);
  }
  const limit = (d: FeedDomain) =>
    typeof limitPerDomain === 'number' ? limitPerDomain : limitPerDomain[d];
  const more = FEED_DOMAINS.some(
    (d) =>
      next[d] < outboxes[d].rows.length ||
      (outboxes[d].rows.length >= limit(d) && outboxes[d].end > positions[d]),
  );
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
  for (const { domain, row } of taken) {
    add(domain, row);
    // The villages helped at this village's auditorium show it in their profiles too.
    for (const villageCode of placesOf(domain, row, neighbours).slice(1)) {
      add(domain, { ...row, villageCode, regionCode: null });
    }
  }
  return { changes: [...byPlace.values()], positions, more, last };
}
