import { monthRange as sharedMonthRange } from '../../shared/arguments.js';

/** Months are `YYYY-MM` strings: they sort and compare as text on both engines. */

/** The seeded sales history: 24 months around the reported 2020-2021 figures. */
export const SEED_FIRST_MONTH = '2020-01';
export const SEED_LAST_MONTH = '2021-12';

/** An inclusive month range given as `from`/`to` arguments (the shared rules, any length). */
export function monthRange(from: string, to: string): { from: string; to: string } {
  return sharedMonthRange(from, to, { bounded: false });
}
