import { badUserInput } from '../../shared/errors.js';

/** Months are `YYYY-MM` strings: they sort and compare as text on both engines. */
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The seeded sales history: 24 months around the reported 2020-2021 figures. */
export const SEED_FIRST_MONTH = '2020-01';
export const SEED_LAST_MONTH = '2021-12';

export function currentMonth(now = new Date()): string {
  return now.toISOString().slice(0, 7);
}

export function assertMonth(value: string, field: string): string {
  if (!MONTH.test(value)) throw badUserInput(`${field} must be a month "YYYY-MM".`, field);
  return value;
}

/** Validates an inclusive month range given as `from`/`to` arguments. */
export function monthRange(from: string, to: string): { from: string; to: string } {
  assertMonth(from, 'from');
  assertMonth(to, 'to');
  if (from > to) throw badUserInput('`from` must not be after `to`.', 'from');
  return { from, to };
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
