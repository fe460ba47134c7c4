import { monthRange as sharedMonthRange } from '../../shared/arguments.js';

/** Months are `YYYY-MM` strings: they sort and compare as text on both engines. */

/** The seeded sales history: 24 months around the reported 2020-2021 figures. */
export const SEED_FIRST_MONTH = '2020-01';
export const SEED_LAST_MONTH = '2021-12';

/** An inclusive month range given as `from`/`to` arguments (the shared rules, any length). */
export function monthRange(from: string, to: string): { from: string; to: string } {
  return sharedMonthRange(from, to, { bounded: false });
}

/** All months from `from` to `to`, inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > to) return out;
    out.push(month);
    m = m === 12 ? 1 : m + 1;
    if (m === 1) y++;
  }
}
