import {
  isEnumType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLCompositeType,
  type GraphQLEnumType,
  type GraphQLOutputType,
} from 'graphql';

/** The types and values the answer check (shape.ts) works with. */

/**
 * What the check needs of a field's type, worked out once per type: graphql-js's type
 * predicates (`isNonNullType`, …) are slow when false outside production builds, and each
 * value of an answer would ask several of them.
 */
export interface TypeShape {
  nonNull: boolean;
  list?: TypeShape;
  scalar?: string;
  enumType?: GraphQLEnumType;
  /** The named composite type at the end of any lists. */
  composite?: GraphQLCompositeType;
}

const SHAPES = new WeakMap<GraphQLOutputType, TypeShape>();

export function shapeOf(type: GraphQLOutputType): TypeShape {
  let shape = SHAPES.get(type);
  if (shape) return shape;
  const nonNull = isNonNullType(type);
  const inner = nonNull ? type.ofType : type;
  if (isListType(inner)) {
    const list = shapeOf(inner.ofType);
    shape = { nonNull, list, composite: list.composite };
  } else if (isScalarType(inner)) shape = { nonNull, scalar: inner.name };
  else if (isEnumType(inner)) shape = { nonNull, enumType: inner };
  else shape = { nonNull, composite: inner as GraphQLCompositeType };
  SHAPES.set(type, shape);
  return shape;
}

/** A list's objects at any list depth (nulls kept, to be skipped). */
export function flatten(value: unknown[]): unknown[] {
  if (!value.some(Array.isArray)) return value;
  const out: unknown[] = [];
  for (const v of value) {
    if (Array.isArray(v)) out.push(...flatten(v));
    else out.push(v);
  }
  return out;
}

const INT_MAX = 2 ** 31 - 1;

/** True when a value is not of the scalar (built-ins and SafeInt; others are not checked). */
export function scalarProblem(name: string, value: unknown): boolean {
  switch (name) {
    case 'Int':
      return !Number.isInteger(value) || Math.abs(value as number) > INT_MAX;
    case 'SafeInt':
      return !Number.isSafeInteger(value);
    case 'Float':
      return typeof value !== 'number' || !Number.isFinite(value);
    case 'String':
      return typeof value !== 'string';
    case 'Boolean':
      return typeof value !== 'boolean';
    case 'ID':
      return typeof value !== 'string' && !Number.isInteger(value);
    default:
      return false;
  }
}
