import { Arg, Field } from 'type-graphql';
import { badUserInput } from './errors.js';

/**
 * The argument rules of every domain subgraph: months, month ranges, calendar dates, counts,
 * money and text. One rule set and one message style — "`field` must …" — so the same bad
 * argument gets the same BAD_USER_INPUT answer from culture, healthcare and commerce. Every
 * refusal names the argument path in `extensions.field`. Bounds are documented in
 * docs/errors.md ("Argument rules").
 */

/** Earliest month any argument may name: the figures start in the 2000s. */
export const EARLIEST_MONTH = '2000-01';
/** Latest month a read may name (writes stop at the current month). */
export const LATEST_MONTH = '2099-12';
/** Longest month range a bounded read may ask for (ten years). */
export const MAX_RANGE_MONTHS = 120;
/** Default upper bound of a reported count (visits, sessions, orders in a month …). */
export const MAX_COUNT = 1_000_000;
/** Upper bound of one amount of money: 100 million yuan, in fen. */
export const MAX_AMOUNT_FEN = 10_000_000_000n;
/** Upper bound of a free-text argument (names, titles, sources), in characters. */
export const MAX_TEXT = 500;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Today (UTC) as YYYY-MM-DD; `now` is injectable for tests. */
export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The current month (UTC) as YYYY-MM. */
export function currentMonth(now = new Date()): string {
  return today(now).slice(0, 7);
}

/** Months since year 0 of a YYYY-MM month: differences count months. */
export function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/**
 * A month `YYYY-MM` from EARLIEST_MONTH on; writes (`notFuture`, the default) stop at the
 * current month, reads at LATEST_MONTH.
 */
export function month(value: string, field: string, opts: { notFuture?: boolean } = {}): string {
  if (typeof value !== 'string' || !MONTH.test(value)) {
    throw badUserInput(`\`${field}\` must be a month as YYYY-MM.`, field);
  }
  const latest = (opts.notFuture ?? true) ? currentMonth() : LATEST_MONTH;
  if (value < EARLIEST_MONTH || value > latest) {
    throw badUserInput(`\`${field}\` must be a month from ${EARLIEST_MONTH} to ${latest}.`, field);
  }
  return value;
}

/**
 * The `from` or `to` argument of a month range, declared and described alike in every
 * subgraph: `for` names the figures it applies to where only some use it (a ranking's
 * monthly metrics), `nullable` where it may be left out.
 */
export function MonthArg(name: 'from' | 'to', opts: { nullable?: boolean; for?: string } = {}) {
  const what = name === 'from' ? 'First month' : 'Last month (inclusive)';
  const scope = opts.for ? ` for ${opts.for}` : '';
  return Arg(name, () => String, {
    nullable: opts.nullable ?? false,
    description: `${what}${scope}, \`YYYY-MM\`.`,
  });
}

const MONTH_FIELD = {
  first: 'First month of the range, `YYYY-MM`.',
  last: 'Last month of the range (inclusive), `YYYY-MM`.',
  month: 'The month, `YYYY-MM`.',
  reported: 'The month, `YYYY-MM`, not in the future.',
} as const;

/**
 * A month field of an object or input type, described alike everywhere: the `first` or `last`
 * month of a range, a `month` of a series, or the month a write `reported` figures for.
 */
export function MonthField(kind: keyof typeof MONTH_FIELD, opts: { nullable?: boolean } = {}) {
  return Field(() => String, { nullable: opts.nullable ?? false, description: MONTH_FIELD[kind] });
}

/**
 * A read's month range `from`..`to`, both inclusive, both between EARLIEST_MONTH and
 * LATEST_MONTH, `from` not after `to`, at most MAX_RANGE_MONTHS long unless `bounded` is false.
 */
export function monthRange(
  from: string,
  to: string,
  opts: { bounded?: boolean; fields?: [string, string] } = {},
): { from: string; to: string } {
  const [fromField, toField] = opts.fields ?? ['from', 'to'];
  month(from, fromField, { notFuture: false });
  month(to, toField, { notFuture: false });
  if (from > to) throw badUserInput(`\`${toField}\` must not be before \`${fromField}\`.`, toField);
  if ((opts.bounded ?? true) && monthIndex(to) - monthIndex(from) + 1 > MAX_RANGE_MONTHS) {
    throw badUserInput(
      `\`${toField}\` must be within ${MAX_RANGE_MONTHS} months of \`${fromField}\`.`,
      toField,
    );
  }
  return { from, to };
}

/**
 * A real calendar day `YYYY-MM-DD` (no 30 February) from the first day of EARLIEST_MONTH to
 * today (writes, the default) or the end of LATEST_MONTH (reads).
 */
export function calendarDate(
  value: string,
  field: string,
  opts: { notFuture?: boolean } = {},
): string {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  if (!m) throw badUserInput(`\`${field}\` must be a date as YYYY-MM-DD.`, field);
  const earliest = `${EARLIEST_MONTH}-01`;
  const latest = (opts.notFuture ?? true) ? today() : `${LATEST_MONTH}-31`;
  // The range first: Date.UTC reads years 0-99 as 1900-1999.
  if (value < earliest || value > latest) {
    throw badUserInput(`\`${field}\` must be a date from ${earliest} to ${latest}.`, field);
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    throw badUserInput(`\`${field}\` is not a calendar date (${value}).`, field);
  }
  return value;
}

/** A whole number from 0 to `max`. */
export function count(value: number, field: string, max = MAX_COUNT): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw badUserInput(`\`${field}\` must be a whole number from 0 to ${max}.`, field);
  }
  return value;
}

const AMOUNT = /^(0|[1-9]\d{0,15})(?:\.(\d{1,2}))?$/;

/**
 * An amount of yuan as a decimal string with at most two decimals ("1234.50"), returned in fen.
 * No sign, exponent, leading zero or surrounding space; at most MAX_AMOUNT_FEN.
 */
export function amountFen(value: string, field: string, maxFen = MAX_AMOUNT_FEN): bigint {
  const m = typeof value === 'string' ? AMOUNT.exec(value) : null;
  if (!m) {
    throw badUserInput(
      `\`${field}\` must be an amount in yuan with at most two decimals, e.g. "1234.50".`,
      field,
    );
  }
  const fen = BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  if (fen > maxFen) {
    throw badUserInput(`\`${field}\` must be at most ${maxFen / 100n} yuan.`, field);
  }
  return fen;
}

/**
 * Characters that show nothing: format characters (Unicode category Cf: zero-width spaces and
 * joiners, direction marks, the word joiner, invisible operators, the byte-order mark, soft
 * hyphen), Hangul fillers, the braille blank, and the combining grapheme joiner and variation
 * selectors (combining marks, so kept out of the character class).
 */
const INVISIBLE_CLASS = String.raw`\p{Cf}\u115F\u1160\u3164\uFFA0\u2800`;
const INVISIBLE_MARK = String.raw`\u034F|[\uFE00-\uFE0F]|[\u180B-\u180D\u180F]`;
const INVISIBLE = new RegExp(`[${INVISIBLE_CLASS}]|${INVISIBLE_MARK}`, 'gu');
/** Whitespace or invisible characters at either end. */
const EDGE = `(?:[\\s${INVISIBLE_CLASS}]|${INVISIBLE_MARK})+`;
const EDGES = new RegExp(`^${EDGE}|${EDGE}$`, 'gu');
/** Control characters other than tab and line breaks: C0 (NUL among them) and DEL. */
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f)) {
      return true;
    }
  }
  return false;
}

/**
 * Free text: trimmed of whitespace and invisible characters at both ends, no NUL or other
 * control character, something visible left, at most `max` characters. Returns the trimmed text.
 */
export function text(value: string, field: string, max = MAX_TEXT): string {
  if (typeof value !== 'string') throw badUserInput(`\`${field}\` must be text.`, field);
  if (value.includes('\u0000')) {
    throw badUserInput(`\`${field}\` must not contain NUL characters.`, field);
  }
  if (hasControl(value)) {
    throw badUserInput(`\`${field}\` must not contain control characters.`, field);
  }
  const trimmed = value.replace(EDGES, '');
  if (trimmed.replace(INVISIBLE, '').trim().length === 0) {
    throw badUserInput(`\`${field}\` must not be empty or only invisible characters.`, field);
  }
  if ([...trimmed].length > max) {
    throw badUserInput(`\`${field}\` must be at most ${max} characters.`, field);
  }
  return trimmed;
}

/**
 * A name or a title: free text (`text`) on one line, without tabs or line breaks (CR, LF, and
 * Unicode's line and paragraph separators). Free text such as a source may hold them.
 */
export function line(value: string, field: string, max = MAX_TEXT): string {
  const trimmed = text(value, field, max);
  if (/[\t\n\r\u2028\u2029]/.test(trimmed)) {
    throw badUserInput(`\`${field}\` must be one line, without tabs or line breaks.`, field);
  }
  return trimmed;
}

/** Optional free text: absent (null/undefined) gives undefined; given, it follows `text`. */
export function optionalText(
  value: string | null | undefined,
  field: string,
  max = MAX_TEXT,
): string | undefined {
  return value === null || value === undefined ? undefined : text(value, field, max);
}

/** An identifier argument (an id of this subgraph's own entities): visible ASCII, bounded. */
export function id(value: string, field: string, max = 100): string {
  if (typeof value !== 'string' || !/^[\x21-\x7E]+$/.test(value) || value.length > max) {
    throw badUserInput(
      `\`${field}\` must be an id of 1 to ${max} visible ASCII characters.`,
      field,
    );
  }
  return value;
}

/**
 * A region code argument: 2, 4, 6 or 9 digits, or 12 (a village) where `village` allows it.
 * Codes are matched as prefixes, so an empty string would match every row: it is refused like
 * any other malformed code.
 */
export function regionCode(value: string, field: string, opts: { village?: boolean } = {}): string {
  const lengths = opts.village ? '2, 4, 6, 9 or 12' : '2, 4, 6 or 9';
  const pattern = opts.village
    ? /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/
    : /^(\d{2}|\d{4}|\d{6}|\d{9})$/;
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw badUserInput(`\`${field}\` must be a region code of ${lengths} digits.`, field);
  }
  return value;
}

/** An optional region filter: absent (null/undefined) is no filter; given, even "", a code. */
export function optionalRegionCode(
  value: string | null | undefined,
  field: string,
  opts: { village?: boolean } = {},
): string | undefined {
  return value === null || value === undefined ? undefined : regionCode(value, field, opts);
}
