import { badUserInput } from '../shared/errors.js';
import type { MonthRange } from './assistance/assistance.loaders.js';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** Longest month range a query may ask for (ten years). */
export const MAX_RANGE_MONTHS = 120;
/** Earliest month the subgraph accepts figures for. */
export const EARLIEST_MONTH = '2000-01';

export function currentMonth(now = new Date()): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

function monthIndex(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return y * 12 + m - 1;
}

/** A well-formed `YYYY-MM` month between 2000-01 and the current month. */
export function parseMonth(value: string, field: string): string {
  if (!MONTH.test(value)) throw badUserInput(`\`${field}\` must be a month as YYYY-MM.`, field);
  if (value < EARLIEST_MONTH)
    throw badUserInput(`\`${field}\` is before ${EARLIEST_MONTH}.`, field);
  if (value > currentMonth()) throw badUserInput(`\`${field}\` is in the future.`, field);
  return value;
}

/** A month range, both ends inclusive, at most MAX_RANGE_MONTHS long when `bounded`. */
export function parseMonthRange(from: string, to: string, bounded = true): MonthRange {
  const range = { from: parseMonth(from, 'from'), to: parseMonth(to, 'to') };
  if (range.from > range.to) throw badUserInput('`to` is before `from`.', 'to');
  if (bounded && monthIndex(range.to) - monthIndex(range.from) + 1 > MAX_RANGE_MONTHS) {
    throw badUserInput(`A range spans at most ${MAX_RANGE_MONTHS} months.`, 'to');
  }
  return range;
}

/** A non-negative integer count below a sanity bound. */
export function parseCount(value: number, field: string, max = 1_000_000): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw badUserInput(`\`${field}\` must be an integer between 0 and ${max}.`, field);
  }
  return value;
}

/** A required, trimmed, bounded piece of text. */
export function parseText(value: string, field: string, max: number): string {
  const text = value.trim();
  if (text.length === 0 || text.length > max) {
    throw badUserInput(`\`${field}\` must be 1 to ${max} characters.`, field);
  }
  return text;
}
