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
  /** The highest id committed when the rows were read. */
  end: number;
}

export interface FeedChange {
  villageCode: string | null;
  regionCode: string | null;
  domains: FeedDomain[];
  what: string[];
  changedAt: string;
}

const PREFIX = 'v1.';

export function encodePositions(p: Positions): string {
  return PREFIX + Buffer.from(FEED_DOMAINS.map((d) => p[d]).join('.')).toString('base64url');
}

const notACursor = (argName: string) =>
  badUserInput(`\`${argName}\` is not a cursor of this feed.`, argName);

/**
 * The positions of a cursor; BAD_USER_INPUT for anything this feed did not hand out: only the
 * exact text `encodePositions` writes is read (no padding, no stray characters, no leading
 * zeros). Positions past the outboxes' ends are refused once those are read (checkWithinEnds).
 */
export function decodePositions(cursor: string, argName = 'since'): Positions {
  const bad = () => notACursor(argName);
  if (cursor.length > 200 || !cursor.startsWith(PREFIX)) throw bad();
  const parts = Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8').split('.');
  if (
    parts.length !== FEED_DOMAINS.length ||
    !parts.every((p) => /^\d{1,10}$/.test(p) && Number(p) <= 2_147_483_647)
  ) {
    throw bad();
  }
  const positions = Object.fromEntries(
    FEED_DOMAINS.map((d, i) => [d, Number(parts[i])]),
  ) as Positions;
  if (encodePositions(positions) !== cursor) throw bad();
  return positions;
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
  if (FEED_DOMAINS.some((d) => from[d] > outboxes[d].end)) throw notACursor(argName);
}

/**
 * One page: the rows after `from` of every domain (each list in id order, as read), merged by
 * time (ties: the domains' order), the first `first` of them, and the positions after them. Rows of
 * one village within the page become one change (its domains and what changed, at its latest
 * time). `more` is whether rows are left after the page (read or not yet read).
 */
export function mergePage(
  from: Positions,
  outboxes: Record<FeedDomain, Outbox>,
  first: number,
  limitPerDomain: number,
): { changes: FeedChange[]; positions: Positions; more: boolean } {
  // A merge of the domains' lists by time, taking each list in id order: a domain's position
  // only ever moves over a prefix of its rows, whatever the clocks said.
  const next = Object.fromEntries(FEED_DOMAINS.map((d) => [d, 0])) as Record<FeedDomain, number>;
  const taken: { domain: FeedDomain; row: OutboxRow }[] = [];
  while (taken.length < first) {
    let pick: FeedDomain | undefined;
    for (const d of FEED_DOMAINS) {
      const row = outboxes[d].rows[next[d]];
      if (!row) continue;
      if (!pick || row.changedAt < outboxes[pick].rows[next[pick]].changedAt) pick = d;
    }
    if (!pick) break;
    taken.push({ domain: pick, row: outboxes[pick].rows[next[pick]++] });
  }
  const positions = { ...from };
  for (const { domain, row } of taken) positions[domain] = row.id;
  const more = FEED_DOMAINS.some(
    (d) =>
      next[d] < outboxes[d].rows.length ||
      (outboxes[d].rows.length >= limitPerDomain && outboxes[d].end > positions[d]),
  );
  const byPlace = new Map<string, FeedChange>();
  for (const { domain, row } of taken) {
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
      continue;
    }
    // Delete and set again: the change moves to its latest time in the page's order.
    byPlace.delete(key);
    if (!change.domains.includes(domain)) change.domains.push(domain);
    if (!change.what.includes(row.what)) change.what.push(row.what);
    change.changedAt = row.changedAt;
    change.regionCode ??= row.regionCode;
    byPlace.set(key, change);
  }
  return { changes: [...byPlace.values()], positions, more };
}
