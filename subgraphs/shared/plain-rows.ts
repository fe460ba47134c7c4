import {
  ReferenceKind,
  type EntityClass,
  type EntityDictionary,
  type EntityMetadata,
  type Platform,
} from '@mikro-orm/core';
import type { EntityManager } from './database.js';

/**
 * Turns one database row (column names as keys) into an instance of the entity's class; a row
 * without every column of the entity answers `undefined` (the caller hydrates it instead).
 */
export type RowMapper<T> = (row: Record<string, unknown>) => T | undefined;

type Convert = (raw: unknown) => unknown;

interface Field {
  name: string;
  column: string;
  convert: Convert;
}

interface EmbeddedField {
  name: string;
  prototype: object;
  nullable: boolean;
  fields: Field[];
}

const mappers = new WeakMap<EntityMetadata, RowMapper<unknown> | null>();

/**
 * A mapper from raw rows to instances of `meta`'s class that are not managed by MikroORM: no
 * hydration, no identity map, no change-tracking snapshot. It is for rows read only to be
 * answered (the request-scoped loaders); a row that is to be changed goes through `em.find` in a
 * transaction. The values are those MikroORM's own result mapper and hydrator give: a null column
 * is null, a boolean column `!!value`, a custom type such as JSON or bigint its
 * `convertToJSValue`, an embeddable an instance of its class (or null when it is nullable and
 * every column of it is null). `test/find-in.test.ts` holds every entity of every subgraph to
 * that, row by row. An entity with anything else (relations, dates, scalar references,
 * discriminators, constructors MikroORM must run, `onInit`/`onLoad` hooks) has no plain mapper:
 * the answer is `null` and the caller hydrates as before.
 */
export function plainRowMapper<T>(
  meta: EntityMetadata<T>,
  platform: Platform,
): RowMapper<T> | null {
  if (!mappers.has(meta as EntityMetadata))
    mappers.set(meta as EntityMetadata, build(meta, platform));
  return mappers.get(meta as EntityMetadata) as RowMapper<T> | null;
}

function build<T>(meta: EntityMetadata<T>, platform: Platform): RowMapper<T> | null {
  if (meta.virtual || meta.embeddable || meta.forceConstructor || meta.discriminatorColumn)
    return null;
  if ((meta.hooks.onInit?.length ?? 0) > 0 || (meta.hooks.onLoad?.length ?? 0) > 0) return null;
  const fields: Field[] = [];
  const embedded: EmbeddedField[] = [];
  for (const prop of meta.props) {
    if (prop.embedded) continue; // a column of an embeddable: mapped with it below
    if (prop.persist === false) {
      if (prop.getter) continue;
      return null;
    }
    if (prop.kind === ReferenceKind.SCALAR) {
      const field = scalar(prop, platform);
      if (!field) return null;
      fields.push(field);
    } else if (prop.kind === ReferenceKind.EMBEDDED) {
      if (prop.object || prop.array || prop.targetMeta?.polymorphs || !prop.embeddable) return null;
      const children: Field[] = [];
      for (const child of Object.values(prop.embeddedProps ?? {})) {
        const field = child.kind === ReferenceKind.SCALAR ? scalar(child, platform) : null;
        if (!field || !child.embedded) return null;
        children.push({ ...field, name: child.embedded[1] });
      }
      embedded.push({
        name: prop.name,
        prototype: shadowed((prop.embeddable as { prototype: object }).prototype, children),
        nullable: Boolean(prop.nullable),
        fields: children,
      });
    } else return null;
  }
  const prototype = shadowed((meta.class as { prototype: object }).prototype, [
    ...fields,
    ...embedded,
  ]);
  const columns = [...fields, ...embedded.flatMap((e) => e.fields)].map((f) => f.column);
  return (row) => {
    for (const column of columns) if (row[column] === undefined) return undefined;
    const entity = Object.create(prototype) as Record<string, unknown>;
    for (const f of fields) entity[f.name] = f.convert(row[f.column]);
    for (const e of embedded) {
      const values = e.fields.map((f) => f.convert(row[f.column]));
      if (e.nullable && values.every((v) => v === null)) entity[e.name] = null;
      else {
        const value = Object.create(e.prototype) as Record<string, unknown>;
        e.fields.forEach((f, i) => (value[f.name] = values[i]));
        entity[e.name] = value;
      }
    }
    return entity as T;
  };
}

/**
 * A prototype between the class's and the instances': MikroORM puts a setter for each property
 * on the class's prototype (its change tracking, which builds the entity's helper on the first
 * write); a writable data property of the same name in between shadows it, so a plain write
 * makes an own property and nothing else. The class stays on the chain (`instanceof`, its
 * getters and methods, `constructor`).
 */
function shadowed(prototype: object, fields: { name: string }[]): object {
  const between = Object.create(prototype) as object;
  for (const { name } of fields)
    Object.defineProperty(between, name, { value: undefined, writable: true, configurable: true });
  return between;
}

function scalar(prop: EntityMetadata['props'][number], platform: Platform): Field | null {
  if (prop.ref || prop.fieldNames?.length !== 1) return null;
  const column = prop.fieldNames[0];
  const type = prop.customType;
  let convert: Convert;
  if (type)
    convert = (raw) =>
      raw === null ? null : type.convertToJSValue(raw, platform, { mode: 'serialization' });
  else if (prop.runtimeType === 'boolean') convert = (raw) => (raw === null ? null : !!raw);
  else if (prop.runtimeType === 'Date') return null;
  else convert = (raw) => raw;
  return { name: prop.name, column, convert };
}

/**
 * `em.map(entity, row)` for a row read only to be answered: the plain mapper outside a
 * transaction, where the entity has one and the row holds all its columns; `em.map` (a managed
 * entity) otherwise.
 */
export function mapRow<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  row: Record<string, unknown>,
): T {
  const plain = em.getTransactionContext()
    ? null
    : plainRowMapper(em.getMetadata().get<T>(entity.name), em.getPlatform());
  return plain?.(row) ?? em.map(entity, row as EntityDictionary<T>);
}
