import {
  Kind,
  getNamedType,
  getNullableType,
  getVariableValues,
  isCompositeType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';

import type { CostModel } from './cost-model.js';

export { CostModel, type ListSize } from './cost-model.js';

/** A slicing argument the schema requires was not given exactly once. */
export class SlicingArgumentError extends Error {}

/** Arguments that size a list when the field has no `@listSize` of its own. */
const CONVENTIONAL_SLICING = ['first', 'last', 'limit'];
/** A month argument (`from`, `to`): `YYYY-MM`. */
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** Apollo's demand-control weight of a mutation operation. */
const MUTATION_COST = 10;

/**
 * Introspection runs in the gateway itself, on its event loop. The whole schema (`__schema`) is
 * 120–190 KB of answer and 5–8 ms of graphql-js execution alone (docs/security.md), before it
 * is serialised: priced at 5,000, four fit under the default MAX_COST (one is what GraphiQL and
 * code generators ask); thirty aliased copies (3.5 MB a request) no longer do. One type
 * (`__type`) is small. Inner introspection fields are not priced on their own: the figure
 * covers the whole selection.
 */
export const INTROSPECTION_COST: Record<string, number> = { __schema: 5_000, __type: 50 };

/**
 * The variables as execution will see them: the request's values coerced, and each omitted
 * variable's default from the operation. So `query($n: Int = 100) { villages(first: $n) … }`
 * costs 100 items, not the default list size.
 */
function effectiveVariables(
  schema: GraphQLSchema,
  op: OperationDefinitionNode,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const coerced = getVariableValues(schema, op.variableDefinitions ?? [], inputs, {
    maxErrors: 1,
  });
  if (coerced.coerced) return coerced.coerced;
  // Execution would refuse them (400 BAD_USER_INPUT); a cost of values that are not of their
  // type (`first: 2147483648` for an Int) is no figure to refuse the operation with.
  throw new VariableValuesError(coerced.errors[0]?.message ?? 'Invalid variable values.');
}

/** The variables are not of the types the operation declares. */
export class VariableValuesError extends Error {}

/**
 * Estimated cost of an operation, the demand-control algorithm of Apollo Router and the IBM
 * cost spec: each field costs its `@cost` weight, else its type's `@cost` weight, else 1 for an
 * object and 0 for a scalar or enum; a list multiplies the cost of itself and everything under
 * it by its size. A list's size is the largest of its `@listSize` slicing arguments given (with
 * variables and their defaults applied), else its `assumedSize`, else `defaultListSize`;
 * `sizedFields` moves that size to the named child fields (a connection's `edges`). A field
 * without `@listSize` that takes `first`/`last`/`limit` is sized by them the same way. A list
 * without slicing arguments that takes a month range `from`/`to` (`YYYY-MM`), or whose parent
 * field does (`usage(from, to) { months }`), is sized by the months of that range. What a
 * field `@requires` is added once per instance of its parent (`requirementCost`), and so is the
 * `@cost` of each argument given and of each input field given inside it (a filter that reads
 * every village of its region). A mutation adds 10; introspection costs INTROSPECTION_COST.
 *
 * The walk visits every selection once per expansion of the fragments it is in: callers bound
 * it beforehand with `expandedSelections` (limits.ts).
 */
export function costOf(
  schema: GraphQLSchema,
  model: CostModel,
  doc: DocumentNode,
  operationName: string | undefined,
  inputs: Record<string, unknown>,
  defaultListSize: number,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const ops: OperationDefinitionNode[] = [];
  for (const d of doc.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    if (d.kind === Kind.OPERATION_DEFINITION) ops.push(d);
  }
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
  const root = op && schema.getRootType(op.operation);
  if (!op || !root) return 0;
  const variables = effectiveVariables(schema, op, inputs);

  const argumentsOf = (def: GraphQLField<unknown, unknown>, node: FieldNode) => {
    try {
      return getArgumentValues(def, node, variables);
    } catch {
      return {}; // invalid arguments fail execution; they add no size here
    }
  };

  const sizeOf = (
    coordinate: string,
    def: GraphQLField<unknown, unknown>,
    node: FieldNode,
    months: number | undefined,
  ): { size: number | undefined; sizedFields: string[] } => {
    const declared = model.listSizes.get(coordinate);
    const isList = isListType(getNullableType(def.type));
    const slicing =
      declared?.slicingArguments ??
      CONVENTIONAL_SLICING.filter((a) => def.args.some((d) => d.name === a));
    const args = slicing.length ? argumentsOf(def, node) : {};
    const given = slicing
      .map((a) => args[a])
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (declared?.requireOneSlicingArgument && slicing.length > 0 && given.length !== 1) {
      throw new SlicingArgumentError(
        `\`${coordinate}\` needs exactly one of ${slicing.map((a) => `\`${a}\``).join(', ')}.`,
      );
    }
    let size: number | undefined = given.length ? Math.max(0, ...given) : declared?.assumedSize;
    // A month-by-month series has one item a month of the range it was asked for.
    if (isList && slicing.length === 0 && months !== undefined) size = months;
    if (size === undefined && (isList || slicing.length > 0)) size = defaultListSize;
    const sizedFields =
      declared?.sizedFields ?? (slicing.length > 0 && !isList ? ['edges', 'nodes'] : []);
    return { size, sizedFields };
  };

  // The months of a `from`/`to` month range a field is given (both `YYYY-MM`), if any.
  const monthsAsked = (def: GraphQLField<unknown, unknown>, node: FieldNode) => {
    if (!def.args.some((a) => a.name === 'from') || !def.args.some((a) => a.name === 'to')) {
      return undefined;
    }
    const args = argumentsOf(def, node);
    const from = MONTH.exec(String(args.from));
    const to = MONTH.exec(String(args.to));
    if (!from || !to) return undefined;
    return Math.max(
      0,
      (Number(to[1]) - Number(from[1])) * 12 + Number(to[2]) - Number(from[2]) + 1,
    );
  };

  // A given input object's weighed fields (`@cost` on input fields), lists item by item.
  const inputCost = (type: GraphQLInputObjectType, value: unknown): number => {
    if (value === null || typeof value !== 'object') return 0;
    if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + inputCost(type, v), 0);
    let total = 0;
    for (const f of Object.values(type.getFields())) {
      const v = (value as Record<string, unknown>)[f.name];
      if (v === undefined || v === null) continue;
      total += model.fieldWeights.get(`${type.name}.${f.name}`) ?? 0;
      const named = getNamedType(f.type);
      if (isInputObjectType(named) && model.inputWeighs(named)) total += inputCost(named, v);
    }
    return total;
  };

  // The `@cost` of the arguments given (not null): an argument's own weight and its input
  // fields'. Added once per instance of the field, as its requirements are.
  const argumentCost = (
    coordinate: string,
    def: GraphQLField<unknown, unknown>,
    node: FieldNode,
  ): number => {
    if (!node.arguments?.length) return 0;
    let args: Record<string, unknown> | undefined;
    let total = 0;
    for (const a of def.args) {
      const own = model.argumentWeights.get(`${coordinate}(${a.name}:)`);
      const named = getNamedType(a.type);
      const deep = isInputObjectType(named) && model.inputWeighs(named);
      if (own === undefined && !deep) continue;
      args ??= argumentsOf(def, node);
      const value = args[a.name];
      if (value === undefined || value === null) continue;
      total += (own ?? 0) + (deep ? inputCost(named, value) : 0);
    }
    return total;
  };

  const costOfSet = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    sized: ReadonlyMap<string, number> | undefined,
    months: number | undefined,
  ): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        total += costOfField(sel, parent, sized, months);
        continue;
      }
      const inner = sel.kind === Kind.INLINE_FRAGMENT ? sel : fragments.get(sel.name.value);
      if (!inner) continue;
      const tc = inner.typeCondition ? schema.getType(inner.typeCondition.name.value) : parent;
      if (tc && isCompositeType(tc)) total += costOfSet(inner.selectionSet, tc, sized, months);
    }
    return total;
  };

  const costOfField = (
    node: FieldNode,
    parent: GraphQLCompositeType,
    sized: ReadonlyMap<string, number> | undefined,
    parentMonths: number | undefined,
  ): number => {
    const name = node.name.value;
    if (name.startsWith('__')) return INTROSPECTION_COST[name] ?? 0;
    const def =
      isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    if (!def) return 0;
    const coordinate = `${parent.name}.${name}`;
    const named = getNamedType(def.type);
    const own =
      model.fieldWeights.get(coordinate) ??
      model.typeWeights.get(named.name) ??
      (isCompositeType(named) ? 1 : 0);
    const months = monthsAsked(def, node);
    const { size, sizedFields } = sizeOf(coordinate, def, node, months ?? parentMonths);
    // A size moved to child fields (`sizedFields`) does not multiply this field itself.
    const moved = sizedFields.length > 0 && size !== undefined;
    const factor = sized?.get(name) ?? (moved ? undefined : size) ?? 1;
    let children = 0;
    if (node.selectionSet && isCompositeType(named)) {
      const childSized = moved ? new Map(sizedFields.map((f) => [f, size])) : undefined;
      children = costOfSet(node.selectionSet, named, childSized, months);
    }
    // What the field @requires is fetched once per instance of its parent (the enclosing lists
    // multiply it), whatever the field's own list size; so is the work its arguments ask for.
    return (
      Math.max(0, factor) * (own + children) +
      model.requirementCost(coordinate, defaultListSize) +
      argumentCost(coordinate, def, node)
    );
  };

  return (
    (op.operation === 'mutation' ? MUTATION_COST : 0) +
    costOfSet(op.selectionSet, root, undefined, undefined)
  );
}
