import { badUserInput } from '../../shared/errors.js';
import { WEEKDAYS, type OpeningPeriod, type Weekday } from './facility.types.js';

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
/** Enough for split shifts every day; more is a data error. */
export const MAX_PERIODS = 28;

const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));

/**
 * Checks a week of opening periods: HH:MM times, each period closing after it opens, no two
 * periods of one day overlapping. Returns them sorted by weekday and time.
 */
export function parseOpeningHours(periods: OpeningPeriod[], field: string): OpeningPeriod[] {
  if (periods.length > MAX_PERIODS) {
    throw badUserInput(`At most ${MAX_PERIODS} opening periods.`, field);
  }
  periods.forEach((p, i) => {
    for (const end of ['opens', 'closes'] as const) {
      if (!TIME.test(p[end]) || (end === 'opens' && p.opens === '24:00')) {
        throw badUserInput(`\`${end}\` must be a time as HH:MM.`, `${field}[${i}].${end}`);
      }
    }
    if (minutes(p.closes) <= minutes(p.opens)) {
      throw badUserInput('`closes` must be after `opens`.', `${field}[${i}].closes`);
    }
  });
  const order = (d: Weekday) => WEEKDAYS.indexOf(d);
  const sorted = periods
    .map((p, i) => ({ p: { weekday: p.weekday, opens: p.opens, closes: p.closes }, i }))
    .sort(
      (a, b) => order(a.p.weekday) - order(b.p.weekday) || minutes(a.p.opens) - minutes(b.p.opens),
    );
  for (let k = 1; k < sorted.length; k++) {
    const [prev, cur] = [sorted[k - 1], sorted[k]];
    if (prev.p.weekday === cur.p.weekday && minutes(cur.p.opens) < minutes(prev.p.closes)) {
      throw badUserInput('Opening periods of one day overlap.', `${field}[${cur.i}].opens`);
    }
  }
  return sorted.map((s) => s.p);
}
