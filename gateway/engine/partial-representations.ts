import type { QueryPlan } from './fallback-planner.js';
import { repairPlan } from './plan-repair.js';
import { rewritePlan, type PlanNode } from './plan-steps.js';

type Selection = { kind: string; typeCondition?: string; name?: string; selections?: Selection[] };

/**
 * @apollo/gateway's executor drops an entity from a `@requires` fetch when any field of its
 * representation is missing (a domain subgraph answered `_entities: [null]` without an error,
 * so the index input it provides never arrived): the fetch is not sent for it, and the fields it
 * would have resolved (`digitalIndex`) are null with no error — read as "no figures". The default
 * engine sends the representation without the missing input, and the subgraph that requires it
 * answers SUBGRAPH_UNAVAILABLE at the field. Here each field of a representation (a key's too,
 * as the default engine leaves out any missing one) stands in an inline fragment of its own,
 * which the executor leaves out when missing instead of dropping the entity: both engines send
 * the same representation and answer the same error at the same path.
 */
export function sendingPartialRepresentations(plan: QueryPlan): QueryPlan {
  const known = done.get(plan);
  if (known) return known;
  const out = {
    ...plan,
    node: rewritePlan(plan.node as PlanNode | undefined, partialFetch),
  } as QueryPlan;
  done.set(plan, out);
  return out;
}

const done = new WeakMap<QueryPlan, QueryPlan>();

/**
 * Every plan @apollo/gateway's executor runs, whoever made it (the worker, or the executor
 * itself after the plan store evicted it): repaired (plan-repair.ts), then sending partial
 * representations.
 */
export function executablePlan(plan: QueryPlan, sdl: string): QueryPlan {
  return sendingPartialRepresentations(repairPlan(plan, sdl));
}

/** A fetch sending representations, with each field of them optional. */
function partialFetch(node: PlanNode): PlanNode | undefined {
  if (node.kind !== 'Fetch') return undefined;
  const requires = node.requires as Selection[] | undefined;
  return requires ? { ...node, requires: requires.map(eachFieldOptional) } : node;
}

/** `... on T { __typename a b }` as `... on T { __typename ... on T { a } ... on T { b } }`. */
function eachFieldOptional(s: Selection): Selection {
  const { kind, typeCondition, selections } = s;
  if (kind !== 'InlineFragment' || !typeCondition || !selections) return s;
  return {
    ...s,
    selections: selections.map((f) =>
      f.kind === 'Field' && f.name !== '__typename'
        ? { kind: 'InlineFragment', typeCondition, selections: [f] }
        : f,
    ),
  };
}
