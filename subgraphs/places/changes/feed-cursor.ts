import { createHmac, timingSafeEqual } from 'node:crypto';
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
const V5 = 'v5.';
const STAMP = /^[A-Za-z0-9_-]{8}$/;
const GENERATION = /^([A-Za-z0-9_-]{8})?$/;
const PLACE = /^[A-Za-z0-9]{1,32}$/;

/** A first-version cursor: positions only (still read by decodeCursor; no longer handed out). */
export function encodePositions(p: Positions): string {
  return V1 + Buffer.from(FEED_DOMAINS.map((d) => p[d]).join('.')).toString('base64url');
}

/**
 * The keys that sign a cursor ending within a change (v5), from the subgraph's
 * GATEWAY_SHARED_SECRET (the first signs; the previous one, while it is rotated, is accepted
 * too). Derived, so a cursor's MAC is never an identity header's: the same secret gives the
 * same key after a restart, and every replica signs alike.
 */
export function cursorKeys(secrets: readonly (string | undefined)[]): Buffer[] {
  return secrets
    .filter((s): s is string => !!s)
    .map((s) => createHmac('sha256', s).update('villageChanges cursor v5').digest());
}

/** 128 bits of an HMAC-SHA256 of the cursor's version and text. */
function mac(key: Buffer, signed: string): string {
  return createHmac('sha256', key).update(signed).digest('base64url').slice(0, 22);
}

/**
 * A cursor as handed out: v2 (positions and stamps) in the first generations, else v3; v5 (with
 * the generations, whatever they are, and signed with `key`) when it ends within a change: the
 * village it ended at decides which of the change's villages the next page gives, so an edited
 * one must not be read (decodeCursor). `key` absent: the unsigned v4 spelling handed out before.
 */
export function encodeCursor(cursor: {
  positions: Positions;
  stamps: Stamps;
  generations?: Generations;
  within?: Within;
  key?: Buffer;
}): string {
  const { positions, stamps, generations = FIRST_GENERATIONS, within, key } = cursor;
  const first = FEED_DOMAINS.every((d) => generations[d] === '');
  const sections = [positions, stamps, ...(first && !within ? [] : [generations])].map((values) =>
    FEED_DOMAINS.map((d) => values[d]).join('.'),
  );
  if (within) sections.push(`${within.stamp}.${within.after}`);
  const version = within ? (key ? V5 : V4) : first ? V2 : V3;
  const text = sections.join('~');
  const signed = within && key ? `${text}~${mac(key, version + text)}` : text;
  return version + Buffer.from(signed).toString('base64url');
}

const forged = (argName: string) =>
  badUserInput(
    `\`${argName}\` was changed after this feed handed it out (or was signed with a key no longer ` +
      'in use): pass an `endCursor` exactly as it was given.',
    argName,
  );

/** The text of a v5 cursor without its MAC and the key that signed it; else BAD_USER_INPUT. */
function verified(cursor: string, keys: readonly Buffer[], argName: string) {
  const text = Buffer.from(cursor.slice(V5.length), 'base64url').toString('utf8');
  const cut = text.lastIndexOf('~');
  const [body, given] = [text.slice(0, cut), Buffer.from(text.slice(cut + 1))];
  const key = keys.find((k) => {
    const want = Buffer.from(mac(k, V5 + body));
    return want.length === given.length && timingSafeEqual(want, given);
  });
  if (cut < 0 || !key) throw forged(argName);
  return { body, key };
}

const notACursor = (argName: string) =>
  badUserInput(`\`${argName}\` is not a cursor of this feed.`, argName);

/**
 * The positions (and stamps) of a cursor; BAD_USER_INPUT for anything this feed did not hand
 * out: only the exact text `encodeCursor` (or, before it, `encodePositions`) writes is read (no
 * padding, no stray characters, no leading zeros, a stamp exactly where the position is not 0).
 * Positions past the outboxes' ends, or whose rows changed, are refused once those are read
 * (checkWithinEnds, checkStamps). A cursor ending within a change must carry the MAC of one of
 * `keys` (v5): any edit of it is refused, where reading an edited village to resume after would
 * skip the change's villages before it. An unsigned one (v4, handed out before) is read without
 * where it ended: its culture position is still before that change, so the next page gives the
 * change again whole (a village twice, never one skipped).
 */
export function decodeCursor(
  cursor: string,
  keys: readonly Buffer[] = [],
  argName = 'since',
): Cursor {
  const read = readCursor(cursor, argName, keys);
  if (!read.within || cursor.startsWith(V5)) return read;
  return { positions: read.positions, stamps: read.stamps, generations: read.generations };
}

function readCursor(cursor: string, argName: string, keys: readonly Buffer[]): Cursor {
  const bad = () => notACursor(argName);
  const version = cursor.slice(0, V1.length);
  if (cursor.length > 300 || ![V1, V2, V3, V4, V5].includes(version)) throw bad();
  const signed = version === V5 ? verified(cursor, keys, argName) : undefined;
  const text =
    signed?.body ?? Buffer.from(cursor.slice(version.length), 'base64url').toString('utf8');
  const [numbers, stampText, generationText, withinText, ...extra] = text.split('~');
  const parts = numbers.split('.');
  if (
    parts.length !== FEED_DOMAINS.length ||
    !parts.every((p) => /^\d{1,10}$/.test(p) && Number(p) <= 2_147_483_647) ||
    extra.length > 0 ||
    (version !== V1) !== (stampText !== undefined) ||
    (version === V3 || version === V4 || !!signed) !== (generationText !== undefined) ||
    (version === V4 || !!signed) !== (withinText !== undefined)
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
  const key = signed?.key;
  if (!wellFormed || encodeCursor({ positions, stamps, generations, within, key }) !== cursor) {
    throw bad();
  }
  if (version === V2) return { positions, stamps };
  return within ? { positions, stamps, generations, within } : { positions, stamps, generations };
}
