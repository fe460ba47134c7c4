import {
  Kind,
  parse,
  print,
  visit,
  type ASTNode,
  type SelectionNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { Externals } from './unplannable.js';

/** The plan nodes plan-repair.ts writes, as @apollo/gateway's executor reads them. */
export type PlanNode = { kind: string } & Record<string, unknown>;
export interface FetchNode extends PlanNode {
  serviceName: string;
  operation: string;
  variableUsages?: string[];
}

/**
 * `node` with every node `rewrite` answers for replaced by that answer (not walked further), and
 * Sequence, Parallel, Flatten and Condition nodes rebuilt around their rewritten children;
 * @defer and subscription nodes stay as planned.
 */
export function rewritePlan(
  node: PlanNode | undefined,
  rewrite: (node: PlanNode) => PlanNode | undefined,
): PlanNode | undefined {
  if (!node) return node;
  const own = rewrite(node);
  if (own) return own;
  const walk = (n: unknown) => rewritePlan(n as PlanNode | undefined, rewrite);
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return { ...node, nodes: (node.nodes as PlanNode[]).map(walk) };
    case 'Flatten':
      return { ...node, node: walk(node.node) };
    case 'Condition':
      return { ...node, ifClause: walk(node.ifClause), elseClause: walk(node.elseClause) };
    default:
      return node;
  }
}

type PlanSelection =
  | { kind: 'Field'; name: string; alias?: string; selections?: PlanSelection[] }
  | { kind: 'InlineFragment'; typeCondition?: string; selections: PlanSelection[] };

export function lists(type: string): '@'[] {
  return Array.from({ length: (type.match(/\[/g) ?? []).length }, () => '@' as const);
}

export const key = (joins: Externals, subgraph: string, type: string) =>
  joins.keys.get(subgraph)?.get(type) ?? '';

export function selectionsOf(fields: string): SelectionNode[] {
  if (!fields.trim()) return [];
  const op = parse(`{ ${fields} }`).definitions[0];
  return op?.kind === Kind.OPERATION_DEFINITION ? [...op.selectionSet.selections] : [];
}

export function variablesIn(node: ASTNode): Set<string> {
  const names = new Set<string>();
  visit(node, { Variable: (v) => void names.add(v.name.value) });
  return names;
}

/** A fetch of `selections` of the entities at its position, sent `inputs` for each. */
export function entitiesFetch(
  service: string,
  type: string,
  inputs: SelectionNode[],
  selections: SelectionNode[],
  from: { variableDefinitions?: readonly VariableDefinitionNode[] },
): FetchNode {
  const used = variablesIn({ kind: Kind.SELECTION_SET, selections });
  const vars = (from.variableDefinitions ?? []).filter((v) => used.has(v.variable.name.value));
  const defs = ['$representations: [_Any!]!', ...vars.map((v) => print(v))].join(', ');
  const operation = `query(${defs}) { _entities(representations: $representations) { ... on ${type} { ${selections.map((s) => print(s)).join(' ')} } } }`;
  const typename: PlanSelection = { kind: 'Field', name: '__typename' };
  return {
    kind: 'Fetch',
    serviceName: service,
    requires: [
      { kind: 'InlineFragment', typeCondition: type, selections: [typename, ...toPlan(inputs)] },
    ],
    variableUsages: vars.map((v) => v.variable.name.value),
    operation,
    operationName: undefined,
    operationKind: 'query',
    operationDocumentNode: parse(operation),
  };
}

function toPlan(selections: readonly SelectionNode[]): PlanSelection[] {
  return selections.flatMap((s): PlanSelection[] => {
    if (s.kind === Kind.FIELD) {
      const inner = s.selectionSet && toPlan(s.selectionSet.selections);
      return [
        {
          kind: 'Field',
          name: s.name.value,
          ...(s.alias && { alias: s.alias.value }),
          ...(inner && { selections: inner }),
        },
      ];
    }
    if (s.kind === Kind.INLINE_FRAGMENT) {
      const typeCondition = s.typeCondition?.name.value;
      return [
        { kind: 'InlineFragment', typeCondition, selections: toPlan(s.selectionSet.selections) },
      ];
    }
    return [];
  });
}
