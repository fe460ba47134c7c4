import {
  getNamedType,
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLNonNull,
  GraphQLSkipDirective,
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
  type SelectionSetNode,
} from 'graphql';

/** A non-null position that holds null: its nearest nullable ancestor becomes null. */
const INVALID = Symbol('invalid');

interface Ctx {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** The fields of (type, selection sets), collected once per answer (every list item shares them). */
  memo: Map<string, Fields>;
  ids: Map<SelectionSetNode, number>;
}

const TYPENAME = { type: new GraphQLNonNull(GraphQLString) };

type Fields = Map<string, { type: GraphQLOutputType; sets: SelectionSetNode[] }>;

/**
 * GraphQL's null propagation over an answer the engine assembled: a field of a non-null type
 * that holds null (its subgraph fetch failed, with an error at its path) makes its nearest
 * nullable parent null, as the spec and `@apollo/gateway` do. The Rust runtime leaves the null
 * in place, which a typed client cannot hold (`OnlineStore.village: Village!` as null). Runs only
 * on answers with errors, or with an entity a subgraph answered null without one (a key it does
 * not know); otherwise no non-null field is null. Changes `data` in place.
 */
export function propagateNulls(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  data: Record<string, unknown> | null,
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
  const out = fix(data, root, [operation.selectionSet], {
    schema,
    fragments,
    variables,
    memo: new Map(),
    ids: new Map(),
  });
  return out === INVALID ? null : (out as Record<string, unknown> | null);
}

function fix(value: unknown, type: GraphQLOutputType, sets: SelectionSetNode[], ctx: Ctx): unknown {
  if (isNonNullType(type)) {
    const inner = value == null ? null : fix(value, type.ofType, sets, ctx);
    return inner === null || inner === INVALID ? INVALID : inner;
  }
  if (value == null) return value;
  if (isListType(type)) {
    if (!Array.isArray(value)) return value;
    for (let i = 0; i < value.length; i++) {
      const item = fix(value[i], type.ofType, sets, ctx);
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
    const fixed = fix(object[key], field.type, field.sets, ctx);
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
    if (skipped(sel, ctx.variables)) continue;
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

function skipped(
  node: Parameters<typeof getDirectiveValues>[1],
  variables: Record<string, unknown>,
): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return true;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if === false;
}
