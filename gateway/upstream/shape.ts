import {
  Kind,
  isAbstractType,
  isObjectType,
  valueFromASTUntyped,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { flatten, scalarProblem, shapeOf, type TypeShape } from './shape-types.js';

/**
 * Whether a subgraph's answer has the shape of the operation the gateway sent it, in the full
 * supergraph's types (which are never stricter than a subgraph's: a field nullable in one
 * subgraph is nullable in the supergraph). A GraphQL server answers every selected field —
 * null when it failed, with an error — and every value in its type; an answer that does not is
 * garbage (a proxy that rewrote it, a subgraph of another version, a bug), and a gateway that
 * planned on it would compute from what is missing as if it were zero: a digital index from a
 * coverage that is not there. Returns what is wrong (for the log), or undefined.
 *
 * What it checks: `data` present unless the answer carries errors; beside `data`, every error
 * naming a path; each selected field present (`@skip`/`@include` applied); null only where the
 * type allows it, or where the answer carries errors (null propagation); lists as arrays;
 * objects as objects, their `__typename` naming an object type the selection can hold; built-in scalars, `SafeInt` and enums by value; `_entities`
 * with one item per representation sent (an item may be null: an entity the subgraph lacks), of
 * the representation's type and with the representation's key values where it selects them back.
 * Custom scalars other than `SafeInt` are not checked.
 */
export function shapeProblem(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  result: { data?: unknown; errors?: readonly unknown[] },
): string | undefined {
  const op = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!op) return undefined;
  const hasErrors = (result.errors?.length ?? 0) > 0;
  if (result.data === undefined || result.data === null) {
    return hasErrors ? undefined : 'no data and no error';
  }
  // An error beside data that names no field cannot be placed: the engines would leave the
  // fields it is about (entities answered null beside it) null without an error.
  if (result.errors?.some((e) => !Array.isArray((e as { path?: unknown }).path))) {
    return 'an error beside data that names no path';
  }
  const root = schema.getRootType(op.operation);
  if (!root) return `no ${op.operation} type`;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  // The variables as the subgraph sees them: the operation's defaults filled in.
  const vars: Record<string, unknown> = { ...variables };
  for (const d of op.variableDefinitions ?? []) {
    const name = d.variable.name.value;
    if (vars[name] === undefined && d.defaultValue)
      vars[name] = valueFromASTUntyped(d.defaultValue);
  }

  const included = (directives: readonly DirectiveNode[] | undefined): boolean => {
    for (const d of directives ?? []) {
      if (d.name.value !== 'skip' && d.name.value !== 'include') continue;
      const arg = d.arguments?.find((a) => a.name.value === 'if');
      if (!arg) continue;
      const value = valueFromASTUntyped(arg.value, vars);
      if (d.name.value === 'skip' && value === true) return false;
      if (d.name.value === 'include' && value !== true) return false;
    }
    return true;
  };

  const applies = (condition: string | undefined, type: GraphQLObjectType): boolean => {
    if (!condition || condition === type.name) return true;
    const target = schema.getType(condition);
    return !!target && isAbstractType(target) && schema.isSubType(target, type);
  };

  // The path of a value is `at` and `key`, joined only when something is wrong: most values
  // are fine, and building a string for each would cost more than checking it.
  const checkValue = (
    type: TypeShape,
    value: unknown,
    at: string,
    key: string | number,
  ): string | undefined => {
    if (value === null || value === undefined) {
      if (value === undefined) return `${at}.${key} is missing`;
      return type.nonNull && !hasErrors ? `${at}.${key} is null` : undefined;
    }
    if (type.list) {
      if (!Array.isArray(value)) return `${at}.${key} is not a list`;
      for (let i = 0; i < value.length; i++) {
        const problem = checkValue(type.list, value[i], `${at}.${key}`, i);
        if (problem) return problem;
      }
      return undefined;
    }
    if (type.scalar) {
      return scalarProblem(type.scalar, value) ? `${at}.${key} is not ${type.scalar}` : undefined;
    }
    if (type.enumType) {
      return typeof value === 'string' && type.enumType.getValue(value)
        ? undefined
        : `${at}.${key} bad enum`;
    }
    return undefined; // composite values are checked with their selection (checkObject)
  };

  const checkObject = (
    parent: GraphQLCompositeType,
    set: SelectionSetNode,
    value: unknown,
    at: string,
  ): string | undefined => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return `${at} is not an object`;
    }
    const obj = value as Record<string, unknown>;
    let concrete: GraphQLObjectType | undefined = isObjectType(parent) ? parent : undefined;
    // `__typename` names the type unless the selection aliased another field to that key.
    const typename = aliasesTypename(set) ? undefined : obj.__typename;
    if (typename !== undefined) {
      const named = typeof typename === 'string' ? schema.getType(typename) : undefined;
      if (!named || !isObjectType(named)) return `${at}.__typename is not an object type`;
      if (named !== parent && !(isAbstractType(parent) && schema.isSubType(parent, named))) {
        return `${at}.__typename ${typename} is not a ${parent.name}`;
      }
      concrete = named;
    }
    return checkSet(parent, concrete, set, obj, at);
  };

  const checkSet = (
    parent: GraphQLCompositeType,
    concrete: GraphQLObjectType | undefined,
    set: SelectionSetNode,
    obj: Record<string, unknown>,
    at: string,
  ): string | undefined => {
    for (const sel of set.selections) {
      if (!included(sel.directives)) continue;
      if (sel.kind !== Kind.FIELD) {
        const inner = sel.kind === Kind.INLINE_FRAGMENT ? sel : fragments.get(sel.name.value);
        if (!inner) continue;
        const condition = inner.typeCondition?.name.value;
        // Without a known concrete type, fields under a type condition cannot be required.
        if (condition && condition !== parent.name && !concrete) continue;
        if (concrete && !applies(condition, concrete)) continue;
        const problem = checkSet(parent, concrete, inner.selectionSet, obj, at);
        if (problem) return problem;
        continue;
      }
      const key = sel.alias?.value ?? sel.name.value;
      const value = obj[key];
      if (sel.name.value === '__typename') {
        if (typeof value !== 'string') return `${at}.${key} is not a string`;
        continue;
      }
      const owner = concrete ?? parent;
      const def = 'getFields' in owner ? owner.getFields()[sel.name.value] : undefined;
      if (!def) {
        if (value === undefined) return `${at}.${key} is missing`;
        continue; // a field the supergraph does not know (e.g. `_entities`): checked by caller
      }
      const shape = shapeOf(def.type);
      const problem = checkValue(shape, value, at, key);
      if (problem) return problem;
      if (value === null || !sel.selectionSet) continue;
      const composite = shape.composite;
      if (!composite) continue;
      const where = `${at}.${key}`;
      if (!Array.isArray(value)) {
        const p = checkObject(composite, sel.selectionSet, value, where);
        if (p) return p;
        continue;
      }
      const items = flatten(value);
      for (let i = 0; i < items.length; i++) {
        if (items[i] === null) continue;
        const p = checkObject(composite, sel.selectionSet, items[i], `${where}.${i}`);
        if (p) return p;
      }
    }
    return undefined;
  };

  /**
   * Whether a selection (its fragments included) puts another field under `__typename`; kept
   * per selection set (documents are cached by the engines, so it is worked out once).
   */
  const aliasesTypename = (set: SelectionSetNode): boolean => {
    let known = ALIASES_TYPENAME.get(set);
    if (known === undefined) {
      known = findsTypenameAlias(set, new Set());
      ALIASES_TYPENAME.set(set, known);
    }
    return known;
  };
  const findsTypenameAlias = (set: SelectionSetNode, seen: Set<string>): boolean =>
    set.selections.some((sel) => {
      if (sel.kind === Kind.FIELD) {
        return sel.alias?.value === '__typename' && sel.name.value !== '__typename';
      }
      if (sel.kind === Kind.INLINE_FRAGMENT) return findsTypenameAlias(sel.selectionSet, seen);
      const frag = fragments.get(sel.name.value);
      if (!frag || seen.has(sel.name.value)) return false;
      seen.add(sel.name.value);
      return findsTypenameAlias(frag.selectionSet, seen);
    });

  /**
   * Which key of the representation the item answers otherwise (its type, or a key field it
   * selected back under its own name): a subgraph answering another entity in this slot, whose
   * fields would be merged into the wrong village.
   */
  const otherEntity = (
    rep: unknown,
    type: GraphQLObjectType,
    item: Record<string, unknown>,
    set: SelectionSetNode,
  ): string | undefined => {
    if (typeof rep !== 'object' || rep === null) return undefined;
    const repType = schema.getType(String((rep as { __typename?: unknown }).__typename));
    const sameType =
      !repType || repType === type || (isAbstractType(repType) && schema.isSubType(repType, type));
    if (!sameType) return '__typename';
    for (const [k, v] of Object.entries(rep)) {
      if (k === '__typename' || typeof v === 'object' || item[k] === undefined) continue;
      if (item[k] !== v && selectsAs(set, k, new Set())) return k;
    }
    return undefined;
  };
  /** Whether every selection answered under `key` is the field of that name (none aliased). */
  const selectsAs = (set: SelectionSetNode, key: string, seen: Set<string>): boolean =>
    set.selections.every((sel) => {
      if (sel.kind === Kind.FIELD)
        return (sel.alias?.value ?? sel.name.value) !== key || sel.name.value === key;
      if (sel.kind === Kind.INLINE_FRAGMENT) return selectsAs(sel.selectionSet, key, seen);
      const frag = fragments.get(sel.name.value);
      if (!frag || seen.has(sel.name.value)) return true;
      seen.add(sel.name.value);
      return selectsAs(frag.selectionSet, key, seen);
    });

  const data = result.data as Record<string, unknown>;
  if (typeof data !== 'object' || Array.isArray(data)) return 'data is not an object';
  for (const sel of op.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD || sel.name.value !== '_entities' || !included(sel.directives)) {
      continue;
    }
    const key = sel.alias?.value ?? sel.name.value;
    const items = data[key];
    if (items === null && hasErrors) continue;
    if (!Array.isArray(items)) return `${key} is not a list`;
    const arg = sel.arguments?.find((a) => a.name.value === 'representations');
    const given: unknown = arg ? valueFromASTUntyped(arg.value, vars) : undefined;
    const sent = Array.isArray(given) ? given : undefined;
    if (sent && sent.length !== items.length) {
      return `${key} has ${items.length} items for ${sent.length} representations`;
    }
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as Record<string, unknown> | null;
      // An entity the subgraph does not hold is null, with or without an error (a reference to
      // a record that is not there): the gateway answers it as null where it was referenced.
      if (item === null) continue;
      const sentType = (sent?.[i] as { __typename?: unknown } | undefined)?.__typename;
      const own = aliasesTypename(sel.selectionSet!) ? undefined : item.__typename;
      const type = schema.getType(String(own ?? sentType));
      if (!type || !isObjectType(type)) return `${key}.${i} has no entity __typename`;
      const moved = sent?.[i] && otherEntity(sent[i], type, item, sel.selectionSet!);
      if (moved) return `${key}.${i}.${moved} is not the representation's`;
      const problem = checkObject(type, sel.selectionSet!, item, `${key}.${i}`);
      if (problem) return problem;
    }
  }
  return checkSet(root, root, withoutEntities(op.selectionSet), data, 'data');
}

const ALIASES_TYPENAME = new WeakMap<SelectionSetNode, boolean>();

/** The root selections other than `_entities` (checked above against its representations). */
function withoutEntities(set: SelectionSetNode): SelectionSetNode {
  const rest = set.selections.filter(
    (s) => !(s.kind === Kind.FIELD && s.name.value === '_entities'),
  );
  return rest.length === set.selections.length ? set : { ...set, selections: rest };
}
