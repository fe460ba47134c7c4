import {
  buildASTSchema,
  getNamedType,
  GraphQLError,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type GraphQLType,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayExecutionResult } from '@apollo/server-gateway-interface';
import { ErrorCode } from '../../contract/errors.js';
import type { QueryPlan } from './fallback-planner.js';

/**
 * Where a plan of @apollo/gateway's planner cannot be right: it asks a subgraph for a field that
 * subgraph declares `@external` (it holds no value of it), outside the representations it is
 * sent. plan-repair.ts repairs the plans it can; in one it cannot, the subgraph refuses to
 * compute without the value, as it does when its owner is down. Nothing is down there and a
 * retry cannot help: the errors under such a position say so (PLANNING_UNSUPPORTED) instead.
 */

/** What the supergraph's join directives say, by subgraph name, with its types. */
export interface Externals {
  schema: GraphQLSchema;
  /** The `@external` fields (`Type.field`) of each subgraph. */
  bySubgraph: Map<string, Set<string>>;
  /** Each subgraph's `@requires` field sets, by `Type.field`. */
  requires: Map<string, Map<string, string>>;
  /** The subgraphs that resolve a field themselves (no entry: every subgraph of its type). */
  owners: Map<string, Set<string>>;
  /** Each subgraph's first key of a type, by type name. */
  keys: Map<string, Map<string, string>>;
}

const externalsOf = new Map<string, Externals>();

const entry = <K, V>(map: Map<K, V>, key: K, made: () => V): V => {
  if (!map.has(key)) map.set(key, made());
  return map.get(key)!;
};

/** The supergraph's join directives (kept for the last few supergraph texts seen). */
export function supergraphExternals(sdl: string): Externals {
  let found = externalsOf.get(sdl);
  if (found) return found;
  const doc = parse(sdl);
  const graphs = new Map<string, string>();
  found = {
    schema: buildASTSchema(doc, { assumeValidSDL: true }),
    bySubgraph: new Map(),
    requires: new Map(),
    owners: new Map(),
    keys: new Map(),
  };
  for (const def of doc.definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && def.name.value === 'join__Graph') {
      for (const v of def.values ?? []) {
        const name = argument(
          v.directives?.find((d) => d.name.value === 'join__graph'),
          'name',
        );
        if (name) graphs.set(v.name.value, name);
      }
    }
  }
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) {
      continue;
    }
    const type = def.name.value;
    for (const d of def.directives ?? []) {
      const graph = graphs.get(argument(d, 'graph') ?? '');
      const key = argument(d, 'key');
      if (d.name.value !== 'join__type' || !graph || !key) continue;
      const keys = entry(found.keys, graph, () => new Map<string, string>());
      if (!keys.has(type)) keys.set(type, key);
    }
    for (const field of def.fields ?? []) {
      const coordinate = `${type}.${field.name.value}`;
      for (const d of field.directives ?? []) {
        const graph = graphs.get(argument(d, 'graph') ?? '');
        if (d.name.value !== 'join__field' || !graph) continue;
        const requires = argument(d, 'requires');
        if (argument(d, 'external') === 'true') {
          entry(found.bySubgraph, graph, () => new Set<string>()).add(coordinate);
          continue;
        }
        if (requires) entry(found.requires, graph, () => new Map()).set(coordinate, requires);
        entry(found.owners, coordinate, () => new Set<string>()).add(graph);
      }
    }
  }
  if (externalsOf.size >= 4) externalsOf.delete(externalsOf.keys().next().value!);
  externalsOf.set(sdl, found);
  return found;
}

function argument(
  d: { arguments?: readonly { name: { value: string }; value: unknown }[] } | undefined,
  name: string,
): string | undefined {
  const value = d?.arguments?.find((a) => a.name.value === name)?.value as
    { kind: string; value?: unknown } | undefined;
  return value && 'value' in value ? String(value.value) : undefined;
}

export type Position = (string | number)[];

const positionsOf = new WeakMap<QueryPlan, Position[]>();

/** externalPositions of `plan` over the supergraph `sdl`, worked out once per plan. */
export function unplannablePositions(plan: QueryPlan, sdl: string): Position[] {
  let found = positionsOf.get(plan);
  if (!found) positionsOf.set(plan, (found = externalPositions(plan, supergraphExternals(sdl))));
  return found;
}
type PlanNode = { kind: string } & Record<string, unknown>;

/** The response positions (`@` for a list) where `plan` asks a subgraph for its externals. */
export function externalPositions(plan: QueryPlan, externals: Externals): Position[] {
  const out: Position[] = [];
  const visit = (node: PlanNode | undefined, at: Position) => {
    if (!node) return;
    switch (node.kind) {
      case 'Sequence':
      case 'Parallel':
        for (const n of node.nodes as PlanNode[]) visit(n, at);
        return;
      case 'Flatten':
        return visit(node.node as PlanNode, [...at, ...(node.path as Position)]);
      case 'Condition':
        visit(node.ifClause as PlanNode, at);
        return visit(node.elseClause as PlanNode, at);
      case 'Defer':
        visit((node.primary as { node?: PlanNode }).node, at);
        for (const d of node.deferred as { node?: PlanNode }[]) visit(d.node, at);
        return;
      case 'Fetch':
        return fetchPositions(node, at, externals, out);
    }
  };
  visit(plan.node as PlanNode | undefined, []);
  return [...new Map(out.map((p) => [JSON.stringify(p), p])).values()];
}

function fetchPositions(node: PlanNode, at: Position, externals: Externals, out: Position[]) {
  const own = externals.bySubgraph.get(node.serviceName as string);
  if (!own) return;
  const doc: DocumentNode = parse(node.operation as string);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!op || op.kind !== Kind.OPERATION_DEFINITION) return;
  const root = externals.schema.getRootType(op.operation);
  const walk = (type: GraphQLCompositeType | undefined, set: SelectionSetNode, path: Position) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        const key = sel.alias?.value ?? name;
        // An entity fetch's `_entities`: the entity's position is the Flatten's own.
        if (name === '_entities') walk(undefined, sel.selectionSet!, path);
        if (!type || (!isObjectType(type) && !isInterfaceType(type))) continue;
        const field = type.getFields()[name];
        if (!field) continue;
        if (own.has(`${type.name}.${name}`)) out.push(path);
        const named = getNamedType(field.type);
        if (sel.selectionSet && (isObjectType(named) || isInterfaceType(named))) {
          walk(named, sel.selectionSet, [...path, key, ...lists(field.type)]);
        }
        continue;
      }
      const fragment = sel.kind === Kind.FRAGMENT_SPREAD ? fragments.get(sel.name.value) : sel;
      if (!fragment) continue;
      const cond =
        fragment.typeCondition && externals.schema.getType(fragment.typeCondition.name.value);
      walk((cond as GraphQLCompositeType | undefined) ?? type, fragment.selectionSet, path);
    }
  };
  walk(root ?? undefined, op.selectionSet, at);
}

function lists(type: GraphQLType): '@'[] {
  const out: '@'[] = [];
  let t = type;
  for (;;) {
    if (isNonNullType(t)) t = t.ofType;
    else if (!isListType(t)) return out;
    else {
      out.push('@');
      t = t.ofType;
    }
  }
}

const at = (path: readonly (string | number)[], position: Position) =>
  path.length >= position.length &&
  position.every((p, i) => (p === '@' ? typeof path[i] === 'number' : path[i] === p));

export const UNSUPPORTED_MESSAGE =
  'The gateway cannot answer this field beside the rest of this operation; ask for it in an operation of its own.';

/**
 * `result` with each SUBGRAPH_UNAVAILABLE error at or under one of `positions` said as
 * PLANNING_UNSUPPORTED: what is missing there was never asked of the subgraph that holds it.
 */
export function withUnplannableErrors(
  result: GatewayExecutionResult,
  positions: readonly Position[],
): GatewayExecutionResult {
  if (positions.length === 0 || !result.errors) return result;
  const errors = result.errors.map((e) =>
    e.extensions?.code === ErrorCode.SUBGRAPH_UNAVAILABLE &&
    positions.some((p) => at(e.path ?? [], p))
      ? new GraphQLError(UNSUPPORTED_MESSAGE, {
          path: e.path,
          extensions: { code: ErrorCode.PLANNING_UNSUPPORTED },
        })
      : e,
  );
  return { ...result, errors };
}
