import {
  getOperationAST,
  Kind,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { RequestRejection } from '../operations/limits.js';
import type { OperationStage } from './types.js';
import { need } from './types.js';
import { fragmentsOf } from '../operations/fragments.js';

/** Per document and operation name: the variables `@skip(if:)` / `@include(if:)` read. */
const conditionsOf = new WeakMap<DocumentNode, Map<string, string[]>>();

/**
 * The variables the conditions of operation `name` (or the only one) read, in its selections and
 * the fragments it spreads: another operation of the document may use the same name otherwise.
 */
function conditionVariables(doc: DocumentNode, name: string | undefined): string[] {
  const fragments = fragmentsOf(doc);
  const operation = getOperationAST(doc, name);
  const names = new Set<string>();
  const seen = new Set<string>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = operation
    ? [operation]
    : [];
  for (let node = pending.pop(); node; node = pending.pop()) {
    visit(node, {
      Directive(d) {
        if (d.name.value !== 'skip' && d.name.value !== 'include') return;
        for (const arg of d.arguments ?? []) {
          if (arg.value.kind === Kind.VARIABLE) names.add(arg.value.name.value);
        }
      },
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !seen.has(spread.name.value)) {
          seen.add(spread.name.value);
          pending.push(fragment);
        }
      },
    });
  }
  return [...names];
}

/**
 * Operation stage 3: a variable that decides an `@skip` or `@include` must be true or false.
 * Validation lets a nullable variable with a default stand for their `Boolean!` argument; sent
 * as an explicit `null` (which the default does not replace) it has no answer. It is the
 * caller's error, 400 BAD_USER_INPUT, before anything runs (it used to reach the engines:
 * HTTP 500 from one, INTERNAL_SERVER_ERROR per item from the other).
 */
export const conditions: OperationStage = (op) => {
  const variables = op.variables;
  if (!variables) return undefined;
  const doc = need(op.doc, 'doc');
  let byOperation = conditionsOf.get(doc);
  if (!byOperation) conditionsOf.set(doc, (byOperation = new Map()));
  let names = byOperation.get(op.operationName ?? '');
  if (!names) {
    names = conditionVariables(doc, op.operationName);
    byOperation.set(op.operationName ?? '', names);
  }
  for (const name of names) {
    if (Object.hasOwn(variables, name) && variables[name] === null) {
      throw new RequestRejection(
        400,
        'BAD_USER_INPUT',
        `Variable "$${name}" is null; @skip(if:) and @include(if:) need true or false.`,
      );
    }
  }
  return undefined;
};
