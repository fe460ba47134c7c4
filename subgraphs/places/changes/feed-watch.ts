import { randomBytes } from 'node:crypto';
import type { Knex } from '@mikro-orm/knex';
import { badUserInput } from '../../shared/errors.js';
import {
  FEED_DOMAINS,
  rowStamp,
  type FeedDomain,
  type Generations,
  type Outbox,
  type OutboxRow,
} from './change-feed.js';

/**
 * What the feed has seen of each domain's outbox (FeedWatch, in places' own database), and the
 * restores it notices with it. A cursor's own positions and stamps catch a restore to before
 * them; they cannot catch one that drops changes after them that a partner has nevertheless
 * exported the data of (its cursor taken before the export, as the partner's loop does). Places
 * keeps the highest row it has read of each outbox — every page, every end handed out (an
 * export asks for one when it ends) — and reads it again with every page: gone, or another
 * change, the domain's database went back past what was seen, and the domain gets a new
 * generation. Cursors of an earlier generation are refused: their reader exports again.
 */
export interface Watch {
  generation: string;
  highId: number;
  highStamp: string;
}
export type Watches = Record<FeedDomain, Watch>;

interface WatchRow {
  domain: string;
  generation: string;
  high_id: number | string;
  high_stamp: string;
}

export async function loadWatches(knex: Knex): Promise<Watches> {
  const rows = (await knex('feed_watch').select('*')) as WatchRow[];
  const watches = {} as Watches;
  for (const d of FEED_DOMAINS) {
    const row = rows.find((r) => r.domain === d);
    watches[d] = row
      ? { generation: row.generation, highId: Number(row.high_id), highStamp: row.high_stamp }
      : { generation: '', highId: 0, highStamp: '' };
  }
  return watches;
}

/**
 * Each domain's generation, after reading its watched row again (`readAt`: an outbox read after
 * a position). A row gone (the outbox ends before it) or another there starts a new generation.
 */
export async function noticeRestores(
  knex: Knex,
  watches: Watches,
  readAt: (domain: FeedDomain, after: number, first: number) => Promise<Outbox>,
): Promise<Generations> {
  const generations = {} as Generations;
  await Promise.all(
    FEED_DOMAINS.map(async (d) => {
      const { generation, highId, highStamp } = watches[d];
      generations[d] = generation;
      if (highId === 0) return;
      const read = await readAt(d, highId - 1, 1);
      const row = read.rows[0];
      if (row?.id === highId && rowStamp(row) === highStamp) return;
      // Ending just before it: a read replica behind (its end is the primary's past a position
      // asked for) or the row gone; asked from the row itself, only a gone row ends before it.
      if (!row && read.end === highId - 1 && (await readAt(d, highId, 1)).end >= highId) return;
      const next = randomBytes(6).toString('base64url');
      const changed = await knex('feed_watch')
        .update({ generation: next, high_id: 0, high_stamp: '' })
        .where({ domain: d, generation, high_id: highId });
      // Another replica of places noticed it first: its generation stands.
      generations[d] = changed > 0 ? next : (await loadWatches(knex))[d].generation;
    }),
  );
  return generations;
}

/** Moves each domain's watched row up to `seen` (the highest row read), in its generation. */
export async function raiseWatches(
  knex: Knex,
  generations: Generations,
  seen: Partial<Record<FeedDomain, OutboxRow>>,
): Promise<void> {
  for (const d of FEED_DOMAINS) {
    const row = seen[d];
    if (!row) continue;
    await knex('feed_watch')
      .insert({ domain: d, generation: generations[d], high_id: row.id, high_stamp: rowStamp(row) })
      .onConflict('domain')
      .merge(['high_id', 'high_stamp'])
      .where('feed_watch.high_id', '<', row.id)
      .andWhere('feed_watch.generation', generations[d]);
  }
}

/** Refuses a cursor of another generation than the domains' own now. */
export function checkGenerations(
  given: Generations,
  current: Generations,
  argName = 'since',
): void {
  if (FEED_DOMAINS.some((d) => given[d] !== current[d])) {
    throw badUserInput(
      `\`${argName}\` is from before a domain's data was restored or reloaded to an earlier ` +
        'state, which dropped changes already recorded (and perhaps exported). Read from now on ' +
        '(no cursor) and export again.',
      argName,
    );
  }
}
