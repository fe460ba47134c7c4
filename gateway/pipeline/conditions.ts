import type { DocumentNode } from 'graphql';
import { conditionVariables } from '../engine/merge-fields.js';
import { RequestRejection } from '../operations/limits.js';
import type { OperationStage } from './types.js';
import { need } from './types.js';

/** The variables each document uses in `@skip(if:)` / `@include(if:)`, once per document. */
const conditionsOf = new WeakMap<DocumentNode, string[]>();

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
  let names = conditionsOf.get(doc);
  if (!names) conditionsOf.set(doc, (names = conditionVariables(doc)));
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
