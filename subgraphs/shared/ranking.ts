import {
  Arg,
  Ctx,
  Directive,
  Field,
  FieldResolver,
  Int,
  ObjectType,
  Root,
  type ClassType,
} from 'type-graphql';
import { MonthArg, monthRange } from './arguments.js';
import { Provenance } from './provenance.js';
import { badUserInput } from './errors.js';
import { RANKING_LIST_SIZE } from './schema.js';

/**
 * Helpers the domain subgraphs share for rankings (index components: `componentOf` in ratios.ts).
 */

/**
 * Orders rows for a child ranking: highest value first, null values last, ties by code — the
 * order every `childRanking` field documents.
 */
export function byValueDesc<T extends { code: string; value: number | bigint | null }>(
  a: T,
  b: T,
): number {
  if (a.value === b.value) return a.code.localeCompare(b.code);
  if (b.value === null) return -1;
  if (a.value === null) return 1;
  return a.value > b.value ? -1 : 1;
}

/**
 * The month range a ranking by a monthly figure needs: both `from` and `to`, under the shared
 * month rules; null for a figure that is not monthly (the two are then ignored).
 */
export function rankingRange(
  by: string,
  monthly: boolean,
  from: string | null | undefined,
  to: string | null | undefined,
  opts: Parameters<typeof monthRange>[2] = {},
): { from: string; to: string } | null {
  if (!monthly) return null;
  if (!from || !to) throw badUserInput(`${by} needs \`from\` and \`to\`.`, 'from');
  return monthRange(from, to, opts);
}

/**
 * The first `limit` rows in ranking order (byValueDesc), numbered from 1, each made an entry by
 * `entry` (which gets the row and its rank).
 */
export function ranked<T extends { code: string; value: number | bigint | null }, E>(
  rows: T[],
  limit: number,
  entry: (row: T, rank: number) => E,
): E[] {
  return [...rows]
    .sort(byValueDesc)
    .slice(0, limit)
    .map((row, i) => entry(row, i + 1));
}

/**
 * A `childRanking` field: a list of `entry` costed by its `first` argument (`@listSize`) and
 * weighing 10 a child (each entry is a child region's figures aggregated from the rollups). Its
 * arguments every domain has are wired here: the method is called as `(view, ctx, by, from, to,
 * …)`, `by` one of `args.by` (the domain's enum of figures), `from` and `to` the month range of
 * the figures `args.monthsFor` names; the method declares what follows (`first`, filters).
 */
export function RankingField(
  entry: () => ClassType,
  description: string,
  args: { by: object; monthsFor: string },
): MethodDecorator {
  const months = { nullable: true, for: args.monthsFor };
  return (target, key, descriptor) => {
    // Last first, as stacked parameter decorators register them: type-graphql prints the
    // arguments in that order (the method's own, then to, from, by).
    MonthArg('to', months)(target, key, 4);
    MonthArg('from', months)(target, key, 3);
    RankByArg(args.by)(target, key, 2);
    Ctx()(target, key, 1);
    Root()(target, key, 0);
    FieldResolver(() => [entry()], { description })(target, key, descriptor);
    Directive('@cost(weight: 10)')(target, key, descriptor);
    Directive(RANKING_LIST_SIZE)(target, key, descriptor);
  };
}

/** A `childRanking`'s `by` argument: the domain's enum of figures. */
function RankByArg(metric: object) {
  return Arg('by', () => metric, { description: 'The figure to rank by.' });
}

/**
 * What every domain's ranked entry has: its rank, the child region (the domain's own `Region`
 * stub) and where the value comes from. A domain's entry type extends it with its value.
 */
export function RankEntry<R extends object>(region: ClassType<R>) {
  // Never emitted itself (nothing returns it); the domain's entry type is.
  @ObjectType()
  abstract class RankEntryBase {
    @Field(() => Int, { description: 'Rank, 1 = highest; ties (and null values, last) by code.' })
    rank!: number;

    @Field(() => region, { description: 'The child region.' })
    region!: R;

    @Field(() => Provenance, { description: 'Where the value comes from.' })
    provenance!: Provenance;
  }
  return RankEntryBase;
}
