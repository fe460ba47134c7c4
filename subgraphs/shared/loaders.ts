import type {
  EntityClass,
  EntityData,
  EntityDictionary,
  FilterQuery,
  OrderDefinition,
} from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import DataLoader from 'dataloader';
import type { EntityManager } from './database.js';
import { plainRowMapper } from './plain-rows.js';

/**
 * A request-scoped loader for one row per key: `batch` issues one `IN (...)` query; rows are
 * re-ordered through a Map and a missing key resolves to `null`.
 */
function rowLoader<K extends string | number, V>(
  batch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const byKey = new Map<K, V>();
    for (const row of await batch(keys)) byKey.set(keyOf(row), row);
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

/**
 * Groups a batch's keys by what they share but the parent (a month range, a page size and
 * cursor …), in first-seen order, so that each group is one statement.
 */
export function groupKeys<K>(keys: readonly K[], groupOf: (k: K) => string): K[][] {
  const groups = new Map<string, K[]>();
  for (const k of keys) {
    const g = groupOf(k);
    const group = groups.get(g);
    if (group) group.push(k);
    else groups.set(g, [k]);
  }
  return [...groups.values()];
}

/**
 * Narrows a monthly rollup query to the rows of `codes` (in `column`) in the months `from` to
 * `to`, both inclusive (the table's `month` column, `YYYY-MM`):
 * `knex(table).select(…).modify(ofCodesInMonths('region_code', codes, range))`.
 */
export function ofCodesInMonths(
  column: string,
  codes: readonly string[],
  range: { from: string; to: string },
) {
  return (query: Knex.QueryBuilder) =>
    query
      .whereIn(column, codes as string[])
      .andWhere('month', '>=', range.from)
      .andWhere('month', '<=', range.to);
}

/** A key asking for the figures of one code over a month range (`YYYY-MM`, inclusive). */
export interface MonthRangeKey {
  from: string;
  to: string;
}

/**
 * A loader of the figures of many codes over month ranges from a monthly table: one statement
 * per distinct range for all codes asking for it. `rows` runs it, narrowed by the query modifier
 * it is given (ofCodesInMonths: the key's `code` in the table's `column`, months in the range);
 * each key's rows (in the statement's order) become its value by `value` (no rows: `[]`).
 */
export function monthRangeLoader<K extends MonthRangeKey, V>(spec: {
  code: (key: K) => string;
  column: string;
  rows: (narrow: (query: Knex.QueryBuilder) => Knex.QueryBuilder) => Promise<PlainRow[]>;
  value: (rows: PlainRow[]) => V;
}): DataLoader<K, V, string> {
  const keyOf = (code: string, range: MonthRangeKey) => `${code}|${range.from}|${range.to}`;
  const cacheKeyFn = (k: K) => keyOf(spec.code(k), k);
  return new DataLoader<K, V, string>(
    async (keys) => {
      const found = new Map<string, PlainRow[]>();
      for (const group of groupKeys(keys, (k) => keyOf('', k))) {
        const range = { from: group[0].from, to: group[0].to };
        const narrow = ofCodesInMonths(spec.column, group.map(spec.code), range);
        for (const row of await spec.rows(narrow)) {
          const key = keyOf(String(row[spec.column]), range);
          const list = found.get(key);
          if (list) list.push(row);
          else found.set(key, [row]);
        }
      }
      return keys.map((k) => spec.value(found.get(cacheKeyFn(k)) ?? []));
    },
    { cacheKeyFn },
  );
}

/**
 * The request's loader for a month range, made by `make` the first time the range is asked
 * for: every key of the same range goes into its batches, whoever asks.
 */
export function loaderPerRange<L>(make: (range: MonthRangeKey) => L): (range: MonthRangeKey) => L {
  const loaders = new Map<string, L>();
  return (range) => {
    const key = `${range.from}|${range.to}`;
    let loader = loaders.get(key);
    if (!loader) {
      loader = make({ from: range.from, to: range.to });
      loaders.set(key, loader);
    }
    return loader;
  };
}

/** A row of a plain (Knex) statement, column by column. */
type PlainRow = Record<string, unknown>;

/** Like rowLoader, for many rows per key: a missing key resolves to `[]`. */
export function groupLoader<K extends string | number, V>(
  batch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const byKey = new Map<K, V[]>();
    for (const row of await batch(keys)) {
      const k = keyOf(row);
      const list = byKey.get(k);
      if (list) list.push(row);
      else byKey.set(k, [row]);
    }
    return keys.map((k) => byKey.get(k) ?? []);
  });
}

/** The key type of a loader by `prop` of `T`: the property's non-null string or number values. */
type KeyOf<T, P extends keyof T> = Extract<NonNullable<T[P]>, string | number>;

/**
 * The row of `entity` whose `prop` is the key, one {@link findIn} per batch (a missing key
 * resolves to `null`): `rowBy(em, Auditorium, 'villageCode')`.
 */
export function rowBy<T extends object, P extends keyof T & string>(
  em: EntityManager,
  entity: EntityClass<T>,
  prop: P,
  options?: FindInOptions<T>,
): DataLoader<KeyOf<T, P>, T | null> {
  return rowLoader(
    (keys) => findIn(em, entity, prop, keys, options),
    (row) => row[prop] as KeyOf<T, P>,
  );
}

/** Like rowBy, for the rows of each key (in `options.orderBy`); a missing key resolves to `[]`. */
export function rowsBy<T extends object, P extends keyof T & string>(
  em: EntityManager,
  entity: EntityClass<T>,
  prop: P,
  options?: FindInOptions<T>,
): DataLoader<KeyOf<T, P>, T[]> {
  return groupLoader(
    (keys) => findIn(em, entity, prop, keys, options),
    (row) => row[prop] as KeyOf<T, P>,
  );
}

/** Further conditions of {@link findIn}: equalities, one inclusive range, the order of the rows. */
export interface FindInOptions<T> {
  where?: Partial<Record<keyof T & string, string | number | boolean>>;
  /** `from <= prop <= to` (e.g. a month range). */
  between?: { prop: keyof T & string; from: string | number; to: string | number };
  /** Ascending, by these properties in turn. */
  orderBy?: (keyof T & string) | (keyof T & string)[];
}

const orderColumns = <T>(options: FindInOptions<T>) =>
  options.orderBy === undefined ? [] : [options.orderBy].flat();

/** The `em.find` arguments that ask what {@link findIn} answers. */
export function asEmFind<T extends object>(
  prop: keyof T & string,
  keys: readonly (string | number)[],
  options: FindInOptions<T> = {},
): [FilterQuery<T>, { orderBy?: OrderDefinition<T> }] {
  const { between } = options;
  const orderBy = orderColumns(options);
  return [
    {
      [prop]: { $in: [...keys] },
      ...options.where,
      ...(between && { [between.prop]: { $gte: between.from, $lte: between.to } }),
    } as FilterQuery<T>,
    orderBy.length
      ? { orderBy: Object.fromEntries(orderBy.map((o) => [o, 'asc'])) as OrderDefinition<T> }
      : {},
  ];
}

/**
 * The entities whose `prop` is one of `keys` (and that match `options`): what
 * `em.find(entity, { [prop]: { $in: keys }, ...where, [between.prop]: { $gte: from, $lte: to } },
 * { orderBy })` answers, without building the query each time and, for a read, without
 * MikroORM's hydration. The statement is written
 * here from the entity's metadata (its table and column names) and sent through MikroORM's own
 * connection — the same counters, metrics, trace spans and read replicas as any other read. Its
 * rows become instances of the entity's class by {@link plainRowMapper} (the values hydration
 * gives, but not managed: no identity map, no snapshot — about 8 µs a row less), or by the
 * entity factory where the entity has no plain mapper. Inside a transaction (a write) it is
 * `em.find` itself, which flushes pending changes first and answers managed entities. Under load,
 * building the query was about 14 % of a subgraph's CPU for one of these reads (bench/notes.md).
 */
export async function findIn<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  prop: keyof T & string,
  keys: readonly (string | number)[],
  options: FindInOptions<T> = {},
): Promise<T[]> {
  if (keys.length === 0) return [];
  // Inside a transaction (a write), em.find: it flushes pending changes before it reads.
  if (em.getTransactionContext()) return em.find(entity, ...asEmFind(prop, keys, options));
  const orderBy = orderColumns(options);
  const { between } = options;
  const meta = em.getMetadata().get<T>(entity.name);
  const platform = em.getPlatform();
  const column = (name: string) => {
    const p = meta.properties[name as keyof typeof meta.properties];
    if (!p?.fieldNames || p.fieldNames.length !== 1)
      throw new Error(`findIn: ${entity.name}.${name}`);
    return platform.quoteIdentifier(p.fieldNames[0]);
  };
  const params: unknown[] = [...keys];
  let sql =
    `select * from ${platform.quoteIdentifier(meta.tableName)} ` +
    `where ${column(prop)} in (${keys.map(() => '?').join(', ')})`;
  for (const [name, value] of Object.entries(options.where ?? {})) {
    sql += ` and ${column(name)} = ?`;
    params.push(value);
  }
  if (between) {
    sql += ` and ${column(between.prop)} >= ? and ${column(between.prop)} <= ?`;
    params.push(between.from, between.to);
  }
  if (orderBy.length) sql += ` order by ${orderBy.map(column).join(', ')}`;
  const rows = await em.getConnection('read').execute<EntityDictionary<T>[]>(sql, params, 'all');
  const plain = plainRowMapper(meta, platform);
  const factory = em.getEntityFactory();
  const driver = em.getDriver();
  return rows.map(
    (row) =>
      plain?.(row as Record<string, unknown>) ??
      factory.create(entity, driver.mapResult(row, meta) as EntityData<T>, {
        merge: true,
        convertCustomTypes: true,
      }),
  );
}

/**
 * `loader.loadMany(keys)`, failing as a whole if any key failed. DataLoader's loadMany puts an
 * Error in the place of a failed key; read as "no row" it would count as 0 in a ranking or drop
 * an item from a list without an error. A missing row is still `null`.
 */
export async function loadAll<K, V, C>(loader: DataLoader<K, V, C>, keys: readonly K[]) {
  const values = await loader.loadMany(keys);
  const failed = values.find((v): v is Error => v instanceof Error);
  if (failed) throw failed;
  return values as V[];
}
