import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  print,
  type DocumentNode,
  type FieldNode,
  type GraphQLNamedType,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { QueryPlan } from './fallback-planner.js';
import { supergraphExternals, type Externals } from './unplannable.js';
import {
  entitiesFetch,
  key,
  lists,
  selectionsOf,
  rewritePlan,
  variablesIn,
  type FetchNode,
  type PlanNode,
} from './plan-steps.js';

/**
 * @apollo/gateway's planner (2.14.4) sometimes asks a subgraph, inside a fetch, for fields it
 * declares `@external` — to feed a field of its own that `@requires` them — where they should
 * come from the subgraph that holds them: a ranked region's `ruralVillageCount` and `children`
 * asked of culture's or commerce's ranking when the region's `digitalIndex` is selected (the
 * index input it `@requires` of that subgraph `@requires` them in turn). The subgraph has no
 * value for them and the fields computed from them fail. Such a fetch is repaired as a planner
 * would have planned it: the external fields and the fields requiring them are cut out of it;
 * after it, the owner is asked for the external fields by key, then the subgraph for the fields
 * that require them, given what they require. A fetch that cannot be repaired so (fragments,
 * a mutation, no single owner) is left as planned, and unplannable.ts says so in the answer.
 */

/** Fields cut out of a fetch at `path` (its data's, `@` per list), on an entity of `type`. */
interface Cut {
  path: (string | number)[];
  type: string;
  external: FieldNode[];
  requirers: FieldNode[];
  /** The requirers as they stood, in the inline fragments (and conditions) they were in. */
  moved: SelectionNode[];
}

const repaired = new WeakMap<QueryPlan, QueryPlan>();

/** `plan` with every fetch that asks its subgraph for its own external fields repaired. */
export function repairPlan(plan: QueryPlan, sdl: string): QueryPlan {
  const known = repaired.get(plan);
  if (known) return known;
  const joins = supergraphExternals(sdl);
  const repair = (node: PlanNode): PlanNode | undefined => {
    if (node.kind === 'Flatten' && (node.node as PlanNode).kind === 'Fetch') {
      // Steps after a fetch of entities hang off the Flatten's own path: @apollo/gateway
      // cannot move a Flatten nested in another past the entity list the outer one is at.
      const path = node.path as Cut['path'];
      const fixed = repairFetch(node.node as FetchNode, joins);
      if (!fixed) return node;
      const [fetch, ...after] = fixed;
      return {
        kind: 'Sequence',
        nodes: [
          { ...node, node: fetch },
          ...after.map((a) => ({ kind: 'Flatten', path: [...path, ...a.path], node: a.node })),
        ],
      };
    }
    if (node.kind !== 'Fetch') return undefined;
    const fixed = repairFetch(node as FetchNode, joins);
    if (!fixed) return node;
    const [fetch, ...after] = fixed;
    const steps = after.map((a) =>
      a.path.length ? { kind: 'Flatten', path: a.path, node: a.node } : a.node,
    );
    return { kind: 'Sequence', nodes: [fetch, ...steps] };
  };
  const out = {
    ...plan,
    node: rewritePlan(plan.node as PlanNode | undefined, repair),
  } as QueryPlan;
  repaired.set(plan, out);
  return out;
}

/** A step after the repaired fetch, at `path` of that fetch's data. */
interface After {
  path: Cut['path'];
  node: FetchNode;
}

/** The fetch repaired, then the steps after it; nothing if it needs no repair or cannot have one. */
function repairFetch(
  fetch: FetchNode,
  joins: Externals,
  depth = 0,
): [FetchNode, ...After[]] | undefined {
  const own = joins.bySubgraph.get(fetch.serviceName);
  const doc = parse(fetch.operation);
  const op = doc.definitions[0];
  if (!own || doc.definitions.length !== 1 || op?.kind !== Kind.OPERATION_DEFINITION) return;
  if (op.operation !== 'query') return;
  const cuts: Cut[] = [];
  const requires = joins.requires.get(fetch.serviceName);
  const cut = (type: GraphQLNamedType | undefined, set: SelectionSetNode, path: Cut['path']) => {
    const external: FieldNode[] = [];
    const kept: SelectionNode[] = [];
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition && joins.schema.getType(sel.typeCondition.name.value);
        kept.push({ ...sel, selectionSet: cut(cond ?? type, sel.selectionSet, path) });
        continue;
      }
      if (sel.kind !== Kind.FIELD) {
        kept.push(sel);
        continue;
      }
      const name = sel.name.value;
      const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : null;
      if (name === '_entities') {
        kept.push({ ...sel, selectionSet: cut(undefined, sel.selectionSet!, path) });
      } else if (field && own.has(`${type!.name}.${name}`)) {
        external.push(sel);
      } else if (field && sel.selectionSet) {
        const key = sel.alias?.value ?? name;
        const inner = [...path, key, ...lists(String(field.type))];
        kept.push({ ...sel, selectionSet: cut(getNamedType(field.type), sel.selectionSet, inner) });
      } else kept.push(sel);
    }
    if (external.length === 0 || !type) return { ...set, selections: kept };
    const requirers: FieldNode[] = [];
    // Requirers in an inline fragment on the same type (a condition the planner put there)
    // need the external fields as much: they move with their fragment's directives.
    const pull = (sels: readonly SelectionNode[]): [SelectionNode[], SelectionNode[]] => {
      const [rest, moved]: [SelectionNode[], SelectionNode[]] = [[], []];
      for (const s of sels) {
        if (s.kind === Kind.FIELD && requires?.has(`${type.name}.${s.name.value}`)) {
          requirers.push(s);
          moved.push(s);
        } else if (
          s.kind === Kind.INLINE_FRAGMENT &&
          (!s.typeCondition || s.typeCondition.name.value === type.name)
        ) {
          const [left, taken] = pull(s.selectionSet.selections);
          const set = (selections: SelectionNode[]) => ({ ...s.selectionSet, selections });
          if (taken.length) moved.push({ ...s, selectionSet: set(taken) });
          rest.push({ ...s, selectionSet: set(left.length ? left : selectionsOf('__typename')) });
        } else rest.push(s);
      }
      return [rest, moved];
    };
    const [rest, moved] = pull(kept);
    cuts.push({ path, type: type.name, external, requirers, moved });
    const keys = [
      selectionsOf('__typename'),
      selectionsOf(key(joins, fetch.serviceName, type.name)),
      ...external.map((e) => ownerNeeds(joins, type.name, e)),
    ];
    for (const k of keys.flat()) {
      if (!rest.some((s) => print(s) === print(k))) rest.push(k);
    }
    return { ...set, selections: rest };
  };
  const selectionSet = cut(joins.schema.getQueryType() ?? undefined, op.selectionSet, []);
  if (cuts.length === 0 || nested(cuts)) return;
  const after: After[] = [];
  for (const c of cuts) {
    const needs = c.requirers.map((r) => requires!.get(`${c.type}.${r.name.value}`)!);
    const needed = needs.flatMap((n) => selectionsOf(n));
    const owner = ownerOf(joins, c.type, [...c.external, ...needed]);
    if (!owner) return;
    const ownerInputs = [
      ...selectionsOf(key(joins, owner, c.type)),
      ...c.external.flatMap((e) => ownerNeeds(joins, c.type, e)),
    ];
    const first = entitiesFetch(owner, c.type, ownerInputs, [...c.external, ...needed], op);
    // The owner asked in turn for fields nested in the external ones that are not its own
    // (`children { cultureIndexInput }` of places): that fetch is repaired the same way.
    const again = depth < 3 ? repairFetch(first, joins, depth + 1) : undefined;
    after.push({ path: c.path, node: again?.[0] ?? first });
    for (const a of again?.slice(1) ?? []) {
      const step = a as After;
      after.push({ path: [...c.path, ...step.path], node: step.node });
    }
    if (c.requirers.length > 0) {
      const inputs = [...selectionsOf(key(joins, fetch.serviceName, c.type)), ...needed];
      after.push({
        path: c.path,
        node: entitiesFetch(fetch.serviceName, c.type, inputs, c.moved, op),
      });
    }
  }
  const used = variablesIn(selectionSet);
  const document: DocumentNode = {
    ...doc,
    definitions: [
      {
        ...op,
        selectionSet,
        variableDefinitions: op.variableDefinitions?.filter((v) => used.has(v.variable.name.value)),
      },
    ],
  };
  const cutFetch: FetchNode = {
    ...fetch,
    operation: print(document),
    operationDocumentNode: document,
    variableUsages: fetch.variableUsages?.filter((v) => used.has(v)),
  };
  return [cutFetch, ...after];
}

/** A cut inside another's requirers would run before the fields it is in were fetched. */
const nested = (cuts: Cut[]) =>
  cuts.some((a) =>
    cuts.some(
      (b) => a !== b && b.path.length > a.path.length && a.path.every((p, i) => b.path[i] === p),
    ),
  );

/** What the owner of external field `e` requires to resolve it (`cultureIndexInput`: counts). */
function ownerNeeds(joins: Externals, type: string, e: FieldNode): SelectionNode[] {
  const coordinate = `${type}.${e.name.value}`;
  const owner = ownerOf(joins, type, [e]);
  return selectionsOf((owner && joins.requires.get(owner)?.get(coordinate)) ?? '');
}

/** The one subgraph that resolves every top-level field of `selections` itself, if any. */
function ownerOf(joins: Externals, type: string, selections: SelectionNode[]): string | undefined {
  let common: string[] | undefined;
  for (const s of selections) {
    if (s.kind !== Kind.FIELD) return undefined;
    const owners = joins.owners.get(`${type}.${s.name.value}`);
    if (!owners) return undefined;
    common = (common ?? [...owners]).filter((g) => owners.has(g));
  }
  return common?.[0];
}
