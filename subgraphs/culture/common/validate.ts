import { badUserInput } from '../../shared/errors.js';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Today's date (UTC) as YYYY-MM-DD; `now` is injectable for tests. */
export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Checks a YYYY-MM month; with `notFuture`, rejects months after the current one. */
export function assertMonth(value: string, field: string, notFuture = true): void {
  if (!MONTH.test(value)) throw badUserInput(`\`${field}\` must be a month as YYYY-MM.`, field);
  if (notFuture && value > today().slice(0, 7)) {
    throw badUserInput(`\`${field}\` must not be in the future.`, field);
  }
}

/** Checks a YYYY-MM-DD date (already well-formed by its scalar) is not after today. */
export function assertNotFutureDate(value: string, field: string): void {
  if (value > today()) throw badUserInput(`\`${field}\` must not be in the future.`, field);
}

/** Counts are whole numbers from 0 to `max` (a sanity bound that keeps sums exact). */
export function assertCount(value: number, field: string, max = 1_000_000): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw badUserInput(`\`${field}\` must be a whole number from 0 to ${max}.`, field);
  }
}

export function assertText(value: string, field: string, maxLength: number): void {
  if (value.trim().length === 0 || value.length > maxLength) {
    throw badUserInput(`\`${field}\` must be 1 to ${maxLength} characters.`, field);
  }
}
