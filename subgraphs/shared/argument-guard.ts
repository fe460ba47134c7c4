import {
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLUnionType,
  Kind,
  defaultFieldResolver,
  valueFromASTUntyped,
  type GraphQLArgument,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { calendarDate } from './arguments.js';
import { assertStorableStrings } from './storable-strings.js';
import { badUserInput } from './errors.js';

/**
 * The calendar date scalar of every subgraph. It accepts any value when parsing, so that a bad
 * date is refused by `guardArguments` as BAD_USER_INPUT naming the argument (a scalar that
 * throws makes the whole request fail validation, with no field named). Written out as stored.
 */
export const LocalDateScalar = new GraphQLScalarType({
  name: 'LocalDate',
  description:
    'A calendar date with no time zone, `YYYY-MM-DD`, e.g. `2020-01-01`. As an argument it must ' +
    'be a real date from 2000-01-01 to 2099-12-31 (writes: not after today); anything else is ' +
    'refused with BAD_USER_INPUT naming the argument.',
  serialize(value) {
    if (typeof value !== 'string') throw new TypeError('LocalDate values are strings');
    return value;
  },
  parseValue: (value) => value,
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? ast.value : valueFromASTUntyped(ast)),
  extensions: { codegenScalarType: 'string' },
});

/** Checks one argument value against its declared type, naming `path` in a refusal. */
function checkValue(type: GraphQLInputType, value: unknown, path: string, write = false): void {
  if (value === null || value === undefined) return;
  if (type instanceof GraphQLNonNull) return checkValue(type.ofType, value, path, write);
  if (type instanceof GraphQLList) {
    // A list of plain scalars (an `_entities` call's representations) is checked whole: the
    // same test item by item, naming `path[i]` only for a bad one.
    if (Array.isArray(value) && plainScalar(type.ofType)) assertStorableStrings(value, path);
    else if (Array.isArray(value))
      value.forEach((v, i) => checkValue(type.ofType, v, `${path}[${i}]`, write));
    else checkValue(type.ofType, value, path, write);
    return;
  }
  if (type instanceof GraphQLInputObjectType) {
    const fields = type.getFields();
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[key];
      if (field) checkValue(field.type, v, `${path}.${key}`, write);
      else assertStorableStrings(v, `${path}.${key}`);
    }
    return;
  }
  // Strings of every scalar (and any value of a JSON-like scalar such as `_Any`): no NUL, no lone
  // surrogate.
  assertStorableStrings(value, path);
  if (type instanceof GraphQLScalarType && type.name === LocalDateScalar.name) {
    // A write's dates end today: a refusal names the range the write itself accepts.
    calendarDate(value as string, path, { notFuture: write });
  }
}

/** A scalar (maybe non-null) whose only check is assertStorableStrings: not LocalDate. */
function plainScalar(type: GraphQLInputType): boolean {
  const inner = type instanceof GraphQLNonNull ? type.ofType : type;
  return inner instanceof GraphQLScalarType && inner.name !== LocalDateScalar.name;
}

/** Checks every argument of a field call; the first bad one is refused. */
function checkArguments(
  args: readonly GraphQLArgument[],
  values: Record<string, unknown>,
  write: boolean,
): void {
  for (const arg of args) checkValue(arg.type, values[arg.name], arg.name, write);
}

/**
 * The representations of an `_entities` call: each an object naming an entity type of this
 * schema, with its key (`code` for places' Village and Region, else `id`) as a string of visible
 * ASCII. The gateway sends nothing else; anything else sent straight to a subgraph was answered
 * INTERNAL_SERVER_ERROR once per representation (a stack trace logged for each).
 */
function checkRepresentations(
  keys: ReadonlyMap<string, string>,
  values: Record<string, unknown>,
): void {
  const reps = values.representations;
  if (!Array.isArray(reps)) return;
  reps.forEach((rep: unknown, i) => {
    const path = `representations[${i}]`;
    const typename = (rep as { __typename?: unknown } | null)?.__typename;
    const key = typeof typename === 'string' ? keys.get(typename) : undefined;
    if (!key) throw badUserInput(`\`${path}\` names no entity type of this subgraph.`, path);
    const value = (rep as Record<string, unknown>)[key];
    if (typeof value !== 'string' || !/^[\x21-\x7E]{1,100}$/.test(value)) {
      throw badUserInput(`\`${path}.${key}\` must be the entity's key.`, `${path}.${key}`);
    }
  });
}

/**
 * Puts the argument rules that hold for every field of every subgraph in front of each resolver
 * that takes arguments (root fields, entity fields, `_entities`): no string argument or variable
 * contains NUL (PostgreSQL cannot store or compare it; no code, id or name holds one) and every
 * LocalDate is a real calendar date in range. A refusal is BAD_USER_INPUT with the argument path
 * in `extensions.field`, raised before the resolver runs, so nothing is read or written. An
 * `_entities` call's representations must be well-formed (checkRepresentations).
 */
export function guardArguments(schema: GraphQLSchema): GraphQLSchema {
  // Federation's union of the types with a @key here, each with its key field.
  const union = schema.getType('_Entity');
  const entities = new Map(
    (union instanceof GraphQLUnionType ? union.getTypes() : []).map((t) => [
      t.name,
      t.getFields().code ? 'code' : 'id',
    ]),
  );
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      const args = field.args;
      const isEntities = type === schema.getQueryType() && field.name === '_entities';
      const write = type === schema.getMutationType();
      field.resolve = (source, values, context, info) => {
        checkArguments(args, values, write);
        if (isEntities) checkRepresentations(entities, values);
        return resolve(source, values, context, info);
      };
    }
  }
  return schema;
}
