import {
  getNamedType,
  GraphQLNonNull,
  GraphQLString,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  GraphQLError,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayExecutionResult } from '@apollo/server-gateway-interface';
import { ErrorCode } from '../../contract/errors.js';
import { UNAVAILABLE_MESSAGE } from '../upstream/unavailable.js';
import { isIncluded } from '../operations/fragments.js';

/** A non-null position that holds null: its nearest nullable ancestor becomes null. */
const INVALID = Symbol('invalid');

interface Ctx {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** The fields of (type, selection sets), collected once per answer (every list item shares them). */
  memo: Map<string, Fields>;
  ids: Map<SelectionSetNode, number>;
  /** The response path being walked (keys pushed and popped). */
  trail: (string | number)[];
  /** Where a non-null position held null. */
  nulls: (string | number)[][];
}

const TYPENAME = { type: new GraphQLNonNull(GraphQLString) };

type Fields = Map<string, { type: GraphQLOutputType; sets: SelectionSetNode[] }>;

/**
 * GraphQL's null propagation over an answer the engine assembled: a field of a non-null type
 * that holds null (its subgraph fetch failed, with an error at its path) makes its nearest
 * nullable parent null, as the spec and `@apollo/gateway` do. The Rust runtime leaves the null
 * in place, which a typed client cannot hold (`OnlineStore.village: Village!` as null). Runs only
 * on answers with errors, or with an entity a subgraph answered null without one (a key it does
 * not know); otherwise no non-null field is null. Changes `data` in place. The paths of the
 * non-null positions that held null are pushed to `nulls`: GraphQL answers each with an error,
 * and one that came without any (an entity answered null) must be given one.
 */
export function propagateNulls(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  data: Record<string, unknown> | null,
  nulls: (string | number)[][] = [],
): Record<string, unknown> | null {
  if (!data) return data;
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation;
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    else if (
      d.kind === Kind.OPERATION_DEFINITION &&
      (!operationName || d.name?.value === operationName)
    )
      operation ??= d;
  }
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return data;
  fillRootTypenames(operation.selectionSet.selections, fragments, variables, data, root.name);
  const out = fix(data, root, [operation.selectionSet], {
    schema,
    fragments,
    variables,
    memo: new Map(),
    ids: new Map(),
    trail: [],
    nulls,
  });
  return out === INVALID ? null : (out as Record<string, unknown> | null);
}

function fix(value: unknown, type: GraphQLOutputType, sets: SelectionSetNode[], ctx: Ctx): unknown {
  if (isNonNullType(type)) {
    if (value == null) {
      ctx.nulls.push([...ctx.trail]);
      return INVALID;
    }
    const inner = fix(value, type.ofType, sets, ctx);
    return inner === null || inner === INVALID ? INVALID : inner;
  }
  if (value == null) return value;
  if (isListType(type)) {
    if (!Array.isArray(value)) return value;
    for (let i = 0; i < value.length; i++) {
      ctx.trail.push(i);
      const item = fix(value[i], type.ofType, sets, ctx);
      ctx.trail.pop();
      if (item === INVALID) return null;
      value[i] = item;
    }
    return value;
  }
  if (!isCompositeType(type) || typeof value !== 'object') return value;
  const fields = fieldsOf(type, sets, ctx);
  const object = value as Record<string, unknown>;
  for (const [key, field] of fields) {
    if (!(key in object)) continue;
    ctx.trail.push(key);
    const fixed = fix(object[key], field.type, field.sets, ctx);
    ctx.trail.pop();
    if (fixed === INVALID) return null;
    object[key] = fixed;
  }
  return object;
}

/** The fields of `sets` on `type`, collected once per answer for each distinct pair. */
function fieldsOf(type: GraphQLCompositeType, sets: SelectionSetNode[], ctx: Ctx): Fields {
  const idOf = (set: SelectionSetNode) => {
    let id = ctx.ids.get(set);
    if (id === undefined) ctx.ids.set(set, (id = ctx.ids.size));
    return id;
  };
  const key = `${type.name}:${sets.map(idOf).join(',')}`;
  let fields = ctx.memo.get(key);
  if (!fields) {
    fields = new Map();
    const seen = new Set<SelectionSetNode>();
    for (const set of sets) collect(type, set, ctx, fields, seen);
    ctx.memo.set(key, fields);
  }
  return fields;
}

/**
 * The fields of a selection set by response key, every fragment's included (see below). A
 * fragment spread again (`seen`) adds nothing new: fragments spreading each other twice at each
 * level are walked once each, not exponentially often.
 */
function collect(
  parent: GraphQLCompositeType,
  set: SelectionSetNode,
  ctx: Ctx,
  out: Fields,
  seen: Set<SelectionSetNode>,
) {
  for (const sel of set.selections) {
    if (!isIncluded(sel, ctx.variables)) continue;
    if (sel.kind === Kind.FIELD) {
      const name = sel.name.value;
      const def =
        name === '__typename'
          ? TYPENAME
          : isObjectType(parent) || isInterfaceType(parent)
            ? parent.getFields()[name]
            : undefined;
      if (!def) continue;
      const key = sel.alias?.value ?? name;
      const entry = out.get(key) ?? { type: def.type, sets: [] };
      if (sel.selectionSet && !entry.sets.includes(sel.selectionSet))
        entry.sets.push(sel.selectionSet);
      out.set(key, entry);
      continue;
    }
    // A fragment's type condition is not checked against the object (the answer need not carry
    // __typename): fields of one response key have one type wherever they stand (validation's
    // "fields can merge"), and only the keys the object holds are looked at.
    const fragment = sel.kind === Kind.FRAGMENT_SPREAD ? ctx.fragments.get(sel.name.value) : sel;
    if (!fragment || seen.has(fragment.selectionSet)) continue;
    seen.add(fragment.selectionSet);
    const condition = fragment.typeCondition
      ? ctx.schema.getType(fragment.typeCondition.name.value)
      : parent;
    const named = condition && getNamedType(condition);
    if (named && isCompositeType(named)) collect(named, fragment.selectionSet, ctx, out, seen);
  }
}

/**
 * `errors` with a SUBGRAPH_UNAVAILABLE error at each of `nulls` (non-null positions that held
 * null) that no error is about: none at it, above it or below it. GraphQL answers every such null
 * with an error; an entity a subgraph answered null without one (a garbled answer, or a key it
 * does not know) would otherwise null its parents silently, up to `data: null` with no error.
 */
export function errorsForNulls(
  errors: readonly GraphQLError[] | undefined,
  nulls: readonly (readonly (string | number)[])[],
): GraphQLError[] | undefined {
  if (nulls.length === 0) return errors ? [...errors] : undefined;
  const key = (path: readonly (string | number)[], n: number) => JSON.stringify(path.slice(0, n));
  const at = new Set<string>();
  const above = new Set<string>();
  for (const e of errors ?? []) {
    const path = e.path ?? [];
    if (path.length === 0) continue;
    at.add(key(path, path.length));
    for (let n = 1; n < path.length; n++) above.add(key(path, n));
  }
  const added: GraphQLError[] = [];
  for (const path of nulls) {
    let covered = above.has(key(path, path.length));
    for (let n = 1; n <= path.length && !covered; n++) covered = at.has(key(path, n));
    if (covered) continue;
    at.add(key(path, path.length));
    added.push(
      new GraphQLError(UNAVAILABLE_MESSAGE, {
        path: [...path],
        extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE },
      }),
    );
  }
  return added.length || errors ? [...(errors ?? []), ...added] : undefined;
}

/**
 * @apollo/gateway notes a null in a non-null position that came without an error (an entity a
 * subgraph answered null) only in `extensions.valueCompletion`, and nulls its parents up to
 * `data: null` with no error. Each such null is given an error, as the default engine gives it.
 */
export function withCompletionErrors(result: GatewayExecutionResult): GatewayExecutionResult {
  const notes: unknown = result.extensions?.valueCompletion;
  if (!Array.isArray(notes)) return result;
  const paths = notes
    .map((n: { path?: unknown } | null) => n?.path)
    .filter((p): p is (string | number)[] => Array.isArray(p));
  const { valueCompletion: _notes, ...extensions } = result.extensions ?? {};
  return {
    ...result,
    errors: errorsForNulls(result.errors, paths),
    extensions: Object.keys(extensions).length > 0 ? extensions : undefined,
  };
}

/** An engine's answer with propagateNulls applied, and an error for each null it met without one. */
export function propagatedAnswer(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  result: GatewayExecutionResult,
): GatewayExecutionResult {
  const nulls: (string | number)[][] = [];
  const data = result.data as Record<string, unknown> | null;
  const fixed = propagateNulls(schema, document, operationName, variables, data, nulls);
  return { ...result, data: fixed, errors: errorsForNulls(result.errors, nulls) };
}

/**
 * Sets the root `__typename`s the engine left null: the Rust planner asks a subgraph for them
 * with that subgraph's root fields, and when that fetch failed they came back null (and the
 * whole answer null by propagation, `__typename` being non-null). Their value is the root
 * type's name whatever a subgraph answers, as @apollo/gateway answers them.
 */
function fillRootTypenames(
  selections: readonly SelectionNode[],
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  data: Record<string, unknown>,
  name: string,
): void {
  for (const s of selections) {
    if (!isIncluded(s, variables)) continue;
    if (s.kind === Kind.FIELD) {
      const key = s.alias?.value ?? s.name.value;
      if (s.name.value === '__typename' && data[key] == null) data[key] = name;
    } else {
      const set = s.kind === Kind.INLINE_FRAGMENT ? s : fragments.get(s.name.value);
      if (set) fillRootTypenames(set.selectionSet.selections, fragments, variables, data, name);
    }
  }
}
