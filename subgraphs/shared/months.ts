import { Ctx, FieldResolver, ObjectType, Root, type ClassType } from 'type-graphql';
import { MonthArg, MonthField, monthIndex } from './arguments.js';

/** The month `YYYY-MM` of a month index (see monthIndex). */
export function monthOf(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to` inclusive (`YYYY-MM`, already checked), in order. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) out.push(monthOf(i));
  return out;
}

/**
 * A month-by-month series: one item per month of `months`, in order, each made by `item` from
 * that month's row of `rows` (matched by `month`), or from none where nothing was reported.
 */
export function eachMonth<R extends { month: string }, T>(
  months: string[],
  rows: R[],
  item: (month: string, row: R | undefined) => T,
): T[] {
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  return months.map((month) => item(month, byMonth.get(month)));
}

/**
 * The month fields of a domain's figures: `OneMonth` for an item of a month-by-month series,
 * `MonthSpan` for figures over a month range. A figure type extends one (type-graphql puts the
 * base's fields first); where a month's and a range's figures are the same, the domain writes
 * them once as a mixin over either. Never emitted themselves: nothing returns them.
 */
@ObjectType()
export class OneMonth {
  @MonthField('month')
  month!: string;
}

@ObjectType()
export class MonthSpan {
  @MonthField('first')
  from!: string;

  @MonthField('last')
  to!: string;
}

/**
 * A field over a month range (`usage(from, to)`, `onlineSales(from, to)`): its `from` and `to`
 * are required MonthArgs; the method is called as `(root, ctx, from, to)`, wired here once, and
 * checks the range by the rule its figures need (at most 120 months, or any length).
 */
export function MonthRangeField(
  type: () => ClassType | [ClassType],
  description: string,
): MethodDecorator {
  return (target, key, descriptor) => {
    // Last first, as stacked parameter decorators register them: the SDL lists `to`, `from`.
    MonthArg('to')(target, key, 3);
    MonthArg('from')(target, key, 2);
    Ctx()(target, key, 1);
    Root()(target, key, 0);
    FieldResolver(type, { description })(target, key, descriptor);
  };
}
