import {
  Kind,
  buildASTSchema,
  getNamedType,
  getNullableType,
  getVariableValues,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  parse,
  valueFromASTUntyped,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';

/** `@listSize` of one field (https://specs.apollo.dev/cost/v0.1). */
export interface ListSize {
  assumedSize?: number;
  slicingArguments: string[];
  sizedFields: string[];
  requireOneSlicingArgument: boolean;
}

/** A slicing argument the schema requires was not given exactly once. */
export class SlicingArgumentError extends Error {}

/** Arguments that size a list when the field has no `@listSize` of its own. */
const CONVENTIONAL_SLICING = ['first', 'last', 'limit'];
/** Apollo's demand-control weight of a mutation operation. */
const MUTATION_COST = 10;

/**
 * Federation's demand-control directives `@cost` and `@listSize` as the composed supergraph
 * carries them (names follow the supergraph's @link import, so a renamed directive counts).
 */
export class CostModel {
  readonly fieldWeights = new Map<string, number>();
  readonly typeWeights = new Map<string, number>();
  readonly listSizes = new Map<string, ListSize>();
  /** `@requires` field sets (from `@join__field(requires:)`), by field coordinate. */
  readonly requires = new Map<string, string>();
  private supergraph: GraphQLSchema | undefined;
  private readonly requirementCosts = new Map<string, number>();

  constructor(private readonly sdl = '') {}

  /**
   * The cost of fetching what a field `@requires` — the other subgraphs' data the gateway
   * fetches for every instance of its parent before the field can run (as Apollo Router scores
   * requirements). Static: a field set has no arguments, so lists take their `assumedSize`
   * (e.g. `indexVillages`, the villages of a county) or the default list size.
   */
  requirementCost(coordinate: string, defaultListSize: number): number {
    const fieldSet = this.requires.get(coordinate);
    if (!fieldSet) return 0;
    const key = `${coordinate}\n${defaultListSize}`;
    const known = this.requirementCosts.get(key);
    if (known !== undefined) return known;
    this.supergraph ??= buildASTSchema(parse(this.sdl), { assumeValidSDL: true });
    const parent = this.supergraph.getType(coordinate.split('.')[0]);
    let cost = 0;
    if (parent && isCompositeType(parent)) {
      const walk = (set: SelectionSetNode, type: GraphQLCompositeType): number => {
        let total = 0;
        for (const sel of set.selections) {
          if (sel.kind !== Kind.FIELD) {
            if (sel.kind === Kind.INLINE_FRAGMENT) total += walk(sel.selectionSet, type);
            continue;
          }
          const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
          const def = fields[sel.name.value];
          if (!def) continue;
          const at = `${type.name}.${def.name}`;
          const named = getNamedType(def.type);
          const own =
            this.fieldWeights.get(at) ??
            this.typeWeights.get(named.name) ??
            (isCompositeType(named) ? 1 : 0);
          const size =
            this.listSizes.get(at)?.assumedSize ??
            (isListType(getNullableType(def.type)) ? defaultListSize : 1);
          const children =
            sel.selectionSet && isCompositeType(named) ? walk(sel.selectionSet, named) : 0;
          total += size * (own + children);
        }
        return total;
      };
      try {
        const op = parse(`{ ${fieldSet} }`).definitions[0] as OperationDefinitionNode;
        cost = walk(op.selectionSet, parent);
      } catch {
        cost = 0; // composition validated the field set; nothing to add if it cannot be read
      }
    }
    this.requirementCosts.set(key, cost);
    return cost;
  }

  static fromSupergraph(sdl: string): CostModel {
    const out = new CostModel(sdl);
    const doc = parse(sdl);
    let cost = 'cost';
    let listSize = 'listSize';
    for (const def of doc.definitions) {
      if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
      for (const d of def.directives ?? []) {
        const url = d.arguments?.find((a) => a.name.value === 'url')?.value;
        if (url?.kind !== Kind.STRING || !/\/cost\/v/.test(url.value)) continue;
        const imports = d.arguments?.find((a) => a.name.value === 'import')?.value;
        for (const i of imports?.kind === Kind.LIST ? imports.values : []) {
          // `{ name: "@cost", as: "@weight" }` renames; a plain string keeps the name.
          if (i.kind !== Kind.OBJECT) continue;
          const f = (n: string) => i.fields.find((x) => x.name.value === n)?.value;
          const name = f('name');
          const as = f('as');
          if (name?.kind !== Kind.STRING || as?.kind !== Kind.STRING) continue;
          if (name.value === '@cost') cost = as.value.replace(/^@/, '');
          if (name.value === '@listSize') listSize = as.value.replace(/^@/, '');
        }
      }
    }
    const find = (directives: readonly DirectiveNode[] | undefined, name: string) =>
      directives?.find((d) => d.name.value === name);
    const arg = (d: DirectiveNode, name: string) =>
      d.arguments?.find((a) => a.name.value === name)?.value;
    const int = (v: ValueNode | undefined) =>
      v?.kind === Kind.INT || v?.kind === Kind.FLOAT || v?.kind === Kind.STRING
        ? Number(v.value)
        : undefined;
    const strings = (v: ValueNode | undefined) =>
      v?.kind === Kind.LIST
        ? v.values.flatMap((s) => (s.kind === Kind.STRING ? [s.value] : []))
        : [];
    for (const def of doc.definitions) {
      if (!('name' in def) || !def.name || def.kind === Kind.DIRECTIVE_DEFINITION) continue;
      const typeName = def.name.value;
      const typeCost = find(def.directives, cost);
      const w = typeCost && int(arg(typeCost, 'weight'));
      if (w !== undefined && Number.isFinite(w)) out.typeWeights.set(typeName, w);
      if (!('fields' in def) || !def.fields) continue;
      for (const f of def.fields) {
        const coordinate = `${typeName}.${f.name.value}`;
        const fc = find(f.directives, cost);
        const fw = fc && int(arg(fc, 'weight'));
        if (fw !== undefined && Number.isFinite(fw)) out.fieldWeights.set(coordinate, fw);
        for (const jf of f.directives?.filter((d) => d.name.value === 'join__field') ?? []) {
          const req = arg(jf, 'requires');
          if (req?.kind === Kind.STRING) out.requires.set(coordinate, req.value);
        }
        const ls = find(f.directives, listSize);
        if (ls) {
          const required = arg(ls, 'requireOneSlicingArgument');
          out.listSizes.set(coordinate, {
            assumedSize: int(arg(ls, 'assumedSize')),
            slicingArguments: strings(arg(ls, 'slicingArguments')),
            sizedFields: strings(arg(ls, 'sizedFields')),
            // The spec's default is true.
            requireOneSlicingArgument: required?.kind === Kind.BOOLEAN ? required.value : true,
          });
        }
      }
    }
    // The field sets are costed against the whole supergraph (they name @inaccessible fields):
    // built here, when a supergraph is loaded, rather than on the first request that needs it.
    if (out.requires.size > 0) {
      out.supergraph = buildASTSchema(doc, { assumeValidSDL: true });
    }
    return out;
  }
}

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
  const defs = op.variableDefinitions ?? [];
  const coerced = getVariableValues(schema, defs, inputs, { maxErrors: 1 });
  if (coerced.coerced) return coerced.coerced;
  // Execution will refuse these variables anyway; cost them as sent, defaults filled in.
  const out: Record<string, unknown> = { ...inputs };
  for (const d of defs) {
    const name = d.variable.name.value;
    if (out[name] === undefined && d.defaultValue) out[name] = valueFromASTUntyped(d.defaultValue);
  }
  return out;
}

/**
 * Estimated cost of an operation, the demand-control algorithm of Apollo Router and the IBM
 * cost spec: each field costs its `@cost` weight, else its type's `@cost` weight, else 1 for an
 * object and 0 for a scalar or enum; a list multiplies the cost of itself and everything under
 * it by its size. A list's size is the largest of its `@listSize` slicing arguments given (with
 * variables and their defaults applied), else its `assumedSize`, else `defaultListSize`;
 * `sizedFields` moves that size to the named child fields (a connection's `edges`). A field
 * without `@listSize` that takes `first`/`last`/`limit` is sized by them the same way. What a
 * field `@requires` is added once per instance of its parent (`requirementCost`). A mutation
 * adds 10.
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
    if (size === undefined && (isList || slicing.length > 0)) size = defaultListSize;
    const sizedFields =
      declared?.sizedFields ?? (slicing.length > 0 && !isList ? ['edges', 'nodes'] : []);
    return { size, sizedFields };
  };

  const costOfSet = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    sized: ReadonlyMap<string, number> | undefined,
  ): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        total += costOfField(sel, parent, sized);
        continue;
      }
      const inner = sel.kind === Kind.INLINE_FRAGMENT ? sel : fragments.get(sel.name.value);
      if (!inner) continue;
      const tc = inner.typeCondition ? schema.getType(inner.typeCondition.name.value) : parent;
      if (tc && isCompositeType(tc)) total += costOfSet(inner.selectionSet, tc, sized);
    }
    return total;
  };

  const costOfField = (
    node: FieldNode,
    parent: GraphQLCompositeType,
    sized: ReadonlyMap<string, number> | undefined,
  ): number => {
    const name = node.name.value;
    if (name.startsWith('__')) return 0;
    const def =
      isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    if (!def) return 0;
    const coordinate = `${parent.name}.${name}`;
    const named = getNamedType(def.type);
    const own =
      model.fieldWeights.get(coordinate) ??
      model.typeWeights.get(named.name) ??
      (isCompositeType(named) ? 1 : 0);
    const { size, sizedFields } = sizeOf(coordinate, def, node);
    // A size moved to child fields (`sizedFields`) does not multiply this field itself.
    const moved = sizedFields.length > 0 && size !== undefined;
    const factor = sized?.get(name) ?? (moved ? undefined : size) ?? 1;
    let children = 0;
    if (node.selectionSet && isCompositeType(named)) {
      const childSized = moved ? new Map(sizedFields.map((f) => [f, size])) : undefined;
      children = costOfSet(node.selectionSet, named, childSized);
    }
    // What the field @requires is fetched once per instance of its parent (the enclosing lists
    // multiply it), whatever the field's own list size.
    return (
      Math.max(0, factor) * (own + children) + model.requirementCost(coordinate, defaultListSize)
    );
  };

  return (
    (op.operation === 'mutation' ? MUTATION_COST : 0) + costOfSet(op.selectionSet, root, undefined)
  );
}
