import { createHash } from 'node:crypto';
import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import { canonicalJson } from '../../contract/idempotency.js';
import { fragmentsOf } from './fragments.js';

/**
 * What "the same request" means for an `Idempotency-Key` (contract/idempotency.ts,
 * IDEMPOTENCY_REQUEST_HEADER): the SHA-256 of the operation's root mutation fields in order,
 * each with its response key, its name and its argument values (variables applied, a variable
 * not sent taking its default, `@skip`/`@include` honoured), through fragments. What the fields
 * select is not part of it, as a subgraph's own fingerprint leaves it out: a retry may ask for
 * more of the answer. With the served `schema`, the values are those the field receives (coerced
 * to their types, as the subgraph reads them): `villageCode: 331124001200` and
 * `villageCode: "331124001200"`, or one item and a list of it, are the same request; read
 * untyped, they were refused IDEMPOTENCY_KEY_REUSED as another body.
 */
export function requestFingerprint(
  doc: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
  schema?: GraphQLSchema,
): string {
  const operation = getOperationAST(doc, operationName ?? undefined);
  const definitions = operation?.variableDefinitions ?? [];
  const typed = schema && getVariableValues(schema, definitions, variables ?? {}).coerced;
  const vars = typed ?? withDefaults(definitions, variables ?? {});
  const root = typed ? schema?.getMutationType()?.getFields() : undefined;
  const argumentsOf = (field: FieldNode): Record<string, unknown> => {
    const def = root?.[field.name.value];
    if (def) {
      try {
        return getArgumentValues(def, field, vars);
      } catch {
        // Not valid for the field: read untyped below (the request is refused when it runs).
      }
    }
    return Object.fromEntries(
      (field.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value, vars)]),
    );
  };
  const fragments = fragmentsOf(doc);
  const fields: [string, string, Record<string, unknown>][] = [];
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): void => {
    for (const s of set?.selections ?? []) {
      if (!included(s, vars)) continue;
      if (s.kind === Kind.FIELD) {
        if (s.name.value.startsWith('__')) continue;
        fields.push([s.alias?.value ?? s.name.value, s.name.value, argumentsOf(s)]);
      } else if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        visit(fragments.get(s.name.value)?.selectionSet);
      }
    }
  };
  visit(operation?.selectionSet);
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

/**
 * The variables as the operation runs with them: one not sent takes its default value. Without
 * this, `mutation($j: Int = 3)` and `mutation($j: Int = 5)` sent with no variables had one
 * fingerprint (the argument read as absent), and the second, under the first's key, was answered
 * the first's result (jobs 3) instead of IDEMPOTENCY_KEY_REUSED.
 */
function withDefaults(
  definitions: readonly VariableDefinitionNode[],
  variables: Record<string, unknown>,
): Record<string, unknown> {
  const vars = { ...variables };
  for (const def of definitions) {
    const name = def.variable.name.value;
    if (def.defaultValue && vars[name] === undefined) {
      vars[name] = valueFromASTUntyped(def.defaultValue);
    }
  }
  return vars;
}

function included(node: SelectionNode, vars: Record<string, unknown>): boolean {
  for (const d of node.directives ?? []) {
    const arg = d.arguments?.find((a) => a.name.value === 'if');
    const value = arg ? valueFromASTUntyped(arg.value, vars) : undefined;
    if (d.name.value === 'skip' && value === true) return false;
    if (d.name.value === 'include' && value === false) return false;
  }
  return true;
}
