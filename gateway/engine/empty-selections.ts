import { createHash } from 'node:crypto';
import {
  getVariableValues,
  Kind,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type SelectionNode,
} from 'graphql';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
} from '@apollo/server-gateway-interface';
import type { GatewayContext } from '../context.js';
import { fragmentsOf, isIncluded } from '../operations/fragments.js';
import { orderAsSelected, walkAnswer } from './response-order.js';

/*
 * @apollo/gateway answers a field whose selections `@skip`/`@include` all leave out — `a:
 * digitalResources(first: 3) { pageInfo @skip(if: $c) { … } }` with `$c` true — as if no
 * subgraph had answered it: null, and for a non-null field `data: null` as a whole, with no
 * error (only an `extensions.valueCompletion` note). GraphQL execution answers `{}`, as the
 * default engine does. So the operation @apollo/gateway is given selects `__typename` in such a
 * selection set, and the answer drops every `__typename` the caller did not ask for.
 */

type Included = (node: SelectionNode) => boolean;

function includedBy(variables: Record<string, unknown>): Included {
  return (node) => isIncluded(node, variables);
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/** The document with `__typename` in each selection set nothing of which is included; else undefined. */
export function fillEmptySelections(
  document: DocumentNode,
  variables: Record<string, unknown>,
): DocumentNode | undefined {
  const fragments = fragmentsOf(document);
  const included = includedBy(variables);
  // Per fragment once: fragments spread in fragments would otherwise be walked once per path.
  const fragmentIncludes = new Map<string, boolean>();
  const anyIncluded = (selections: readonly SelectionNode[]): boolean =>
    selections.some((s) => {
      if (!included(s)) return false;
      if (s.kind === Kind.FIELD) return true;
      if (s.kind === Kind.INLINE_FRAGMENT) return anyIncluded(s.selectionSet.selections);
      let answer = fragmentIncludes.get(s.name.value);
      if (answer === undefined) {
        const set = fragments.get(s.name.value)?.selectionSet;
        answer = set !== undefined && anyIncluded(set.selections);
        fragmentIncludes.set(s.name.value, answer);
      }
      return answer;
    });
  let filled = false;
  const out = visit(document, {
    Field: {
      leave(node) {
        if (!node.selectionSet || anyIncluded(node.selectionSet.selections)) return undefined;
        filled = true;
        const selections = [...node.selectionSet.selections, TYPENAME];
        return { ...node, selectionSet: { ...node.selectionSet, selections } };
      },
    },
  });
  return filled ? out : undefined;
}

type Request = GatewayGraphQLRequestContext<GatewayContext>;

/**
 * Runs `request` through `run` (@apollo/gateway's planning and execution) with its empty
 * selection sets filled (source and hash to match), and cleans the answer: unasked
 * `__typename`s dropped, keys in the order selected (response-order.ts).
 */
export async function runFilled(
  request: Request,
  run: (request: Request) => Promise<GatewayExecutionResult>,
): Promise<GatewayExecutionResult> {
  const { schema, operation, request: body } = request;
  const variables = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    body.variables ?? {},
  ).coerced;
  const document = variables && fillEmptySelections(request.document, variables);
  if (!variables || !document) {
    const result = await run(request);
    if (variables) orderAsSelected(result.data, request.document, body.operationName, variables);
    return result;
  }
  const source = print(document);
  const queryHash = createHash('sha256').update(source).digest('hex');
  const result = await run({ ...request, document, source, queryHash });
  dropUnaskedTypenames(result.data, request.document, body.operationName, variables);
  orderAsSelected(result.data, request.document, body.operationName, variables);
  return result;
}

/** Deletes from `data` each `__typename` the operation does not select where it stands. */
export function dropUnaskedTypenames(
  data: unknown,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): void {
  walkAnswer(data, document, operationName, variables, (objects, fields) => {
    if (!fields.has('__typename')) for (const object of objects) delete object.__typename;
  });
}
