import { Embedded, Enum as EnumProperty, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int } from 'type-graphql';
import { MonthField } from './arguments.js';
import { Provenance as ProvenanceRecord } from './provenance.js';

/**
 * The columns domain records are built from, each declared as its GraphQL field and its database
 * column at once: the record's key, its name or title, its enum values, the division it lies in,
 * its whole-number figures and its provenance; and the keys of monthly records and rollups (the
 * month, the region). Each applies the type-graphql and MikroORM decorators a record
 * would otherwise stack by hand. Imported as a namespace: `@column.Key('…')`.
 */

type PropertyDecorator = (target: object, key: string) => void;

/** Several property decorators as one, applied as if stacked in this order (the last first). */
function stacked(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorate of [...decorators].reverse()) decorate(target, key);
  };
}

/** An index on the column (MikroORM's Index() is typed for a known entity; the key is enough). */
const indexed: PropertyDecorator = (target, key) => Index()(target, key as never);

/** A record's own string key: its `ID` field and its primary-key column. */
export function Key(description: string, length = 40): PropertyDecorator {
  return stacked(
    Field(() => ID, { description }),
    PrimaryKey({ type: 'string', length }),
  );
}

/** A record's name or title: a required string field and a 200-character column. */
export function Title(description: string): PropertyDecorator {
  return stacked(
    Field(() => String, { description }),
    Property({ type: 'string', length: 200 }),
  );
}

/**
 * A value of a GraphQL enum (`items`, a described enum), stored as text: the enum field and
 * column, `nullable` where it may be absent, with a `default` for existing rows, indexed where asked.
 */
export function Enum<E extends object>(
  items: () => E,
  description: string,
  opts: { nullable?: boolean; indexed?: boolean; default?: string } = {},
): PropertyDecorator {
  const nullability = opts.nullable ? { nullable: true } : {};
  const decorators: PropertyDecorator[] = [Field(items, { ...nullability, description })];
  if (opts.indexed) decorators.push(indexed);
  const fallback = opts.default === undefined ? {} : { default: opts.default };
  decorators.push(EnumProperty({ items, ...nullability, ...fallback }));
  return stacked(...decorators);
}

/** Digits of a division code by level (a county or district, a township, a village). */
const CODE_LENGTH = { county: 6, township: 9, village: 12 } as const;

/**
 * The code of the county or village a record lies in: a plain column holding the other
 * subgraph's key (never a relation), indexed unless `indexed: false`; with a description it is
 * also an `ID` field.
 */
export function DivisionCode(
  level: keyof typeof CODE_LENGTH,
  opts: { description?: string; nullable?: boolean; indexed?: boolean } = {},
): PropertyDecorator {
  const { description, nullable = false } = opts;
  const nullability = nullable ? { nullable } : {};
  const decorators: PropertyDecorator[] = [];
  if (description !== undefined) decorators.push(Field(() => ID, { ...nullability, description }));
  if (opts.indexed ?? true) decorators.push(indexed);
  decorators.push(Property({ type: 'string', length: CODE_LENGTH[level], ...nullability }));
  return stacked(...decorators);
}

/**
 * A record's provenance, stored as embedded columns under `prefix`; with a description it is
 * also the record's `provenance` field.
 */
export function Provenance(description?: string, prefix = 'provenance_'): PropertyDecorator {
  const columns = Embedded(() => ProvenanceRecord, { prefix });
  return description === undefined
    ? columns
    : stacked(
        Field(() => ProvenanceRecord, { description }),
        columns,
      );
}

/** A whole-number figure: an `Int` field and an integer column, `nullable` where it may be unknown. */
export function Integer(description: string, opts: { nullable?: boolean } = {}): PropertyDecorator {
  const nullability = opts.nullable ? { nullable: true } : {};
  return stacked(
    Field(() => Int, { ...nullability, description }),
    Property({ type: 'integer', ...nullability }),
  );
}

/**
 * The code of the region a rollup row is of, its primary key or part of it: codes down to a
 * township's, or to a village's where the rollup holds villages too.
 */
export function RegionKey(level: 'township' | 'village'): PropertyDecorator {
  return PrimaryKey({ type: 'string', length: CODE_LENGTH[level] });
}

/**
 * The month of a monthly record or rollup row, `YYYY-MM`, part of its primary key; with
 * `field`, also the record's `month` field.
 */
export function Month(opts: { field?: boolean } = {}): PropertyDecorator {
  const key = PrimaryKey({ type: 'string', length: 7 });
  return opts.field ? stacked(MonthField('month'), key) : key;
}
