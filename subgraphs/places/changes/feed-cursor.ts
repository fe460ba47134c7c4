import { badUserInput } from '../../shared/errors.js';

/**
 * The text of the change feed's cursors (change-feed.ts says what they hold and why): each
 * version is read back only in the exact spelling `encodeCursor` gives it.
 */
export const FEED_DOMAINS = ['culture', 'healthcare', 'commerce'] as const;
export type FeedDomain = (typeof FEED_DOMAINS)[number];
export type Positions = Record<FeedDomain, number>;

/** The stamp of a position per domain: `rowStamp` of the row there, '' at position 0. */
export type Stamps = Record<FeedDomain, string>;

/** Each domain's generation (feed-watch.ts): '' until a restore of it was noticed. */
export type Generations = Record<FeedDomain, string>;

export const FIRST_GENERATIONS: Generations = { culture: '', healthcare: '', commerce: '' };

/**
 * A culture change handed out in part (a page ends within the villages it is listed at): the
 * stamp of that change, the first row after the culture position, and the last village given.
 */
export interface Within {
  stamp: string;
  after: string;
}

export interface Cursor {
  positions: Positions;
  /** Absent in a first-version cursor. */
  stamps?: Stamps;
  /** The generations it was handed out in (absent: FIRST_GENERATIONS, as v1 and v2). */
  generations?: Generations;
  /** Absent unless a page ended within a change (v4). */
  within?: Within;
}

const V1 = 'v1.';
const V2 = 'v2.';
const V3 = 'v3.';
const V4 = 'v4.';
const STAMP = /^[A-Za-z0-9_-]{8}$/;
const GENERATION = /^([A-Za-z0-9_-]{8})?$/;
const PLACE = /^[A-Za-z0-9]{1,32}$/;

/** A first-version cursor: positions only (still read by decodeCursor; no longer handed out). */
export function encodePositions(p: Positions): string {
  return V1 + Buffer.from(FEED_DOMAINS.map((d) => p[d]).join('.')).toString('base64url');
}

/**
 * A cursor as handed out: v2 (positions and stamps) in the first generations, else v3; v4 (with
 * the generations, whatever they are) when it ends within a change.
 */
export function encodeCursor(cursor: {
  positions: Positions;
  stamps: Stamps;
  generations?: Generations;
  within?: Within;
}): string {
  const { positions, stamps, generations = FIRST_GENERATIONS, within } = cursor;
  const first = FEED_DOMAINS.every((d) => generations[d] === '');
  const sections = [positions, stamps, ...(first && !within ? [] : [generations])].map((values) =>
    FEED_DOMAINS.map((d) => values[d]).join('.'),
  );
  if (within) sections.push(`${within.stamp}.${within.after}`);
  const version = within ? V4 : first ? V2 : V3;
  return version + Buffer.from(sections.join('~')).toString('base64url');
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
  if (cursor.length > 200 || ![V1, V2, V3, V4].includes(version)) throw bad();
  const text = Buffer.from(cursor.slice(version.length), 'base64url').toString('utf8');
  const [numbers, stampText, generationText, withinText, ...extra] = text.split('~');
  const parts = numbers.split('.');
  if (
    parts.length !== FEED_DOMAINS.length ||
    !parts.every((p) => /^\d{1,10}$/.test(p) && Number(p) <= 2_147_483_647) ||
    extra.length > 0 ||
    (version !== V1) !== (stampText !== undefined) ||
    (version === V3 || version === V4) !== (generationText !== undefined) ||
    (version === V4) !== (withinText !== undefined)
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
  if (generationText !== undefined) {
    FEED_DOMAINS.forEach((d, i) => (generations[d] = gens[i] ?? '!'));
  }
  const [withinStamp = '', after = '', ...rest] = withinText?.split('.') ?? [];
  const within = withinText === undefined ? undefined : { stamp: withinStamp, after };
  const wellFormed =
    given.length === FEED_DOMAINS.length &&
    FEED_DOMAINS.every((d) => (positions[d] === 0 ? stamps[d] === '' : STAMP.test(stamps[d]))) &&
    (version === V2 ||
      (gens.length === FEED_DOMAINS.length && gens.every((g) => GENERATION.test(g)))) &&
    (!within || (rest.length === 0 && STAMP.test(within.stamp) && PLACE.test(within.after)));
  if (!wellFormed || encodeCursor({ positions, stamps, generations, within }) !== cursor) {
    throw bad();
  }
  if (version === V2) return { positions, stamps };
  return within ? { positions, stamps, generations, within } : { positions, stamps, generations };
}
