import {
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import { fragmentsOf, isIncluded } from '../operations/fragments.js';

/** Called once per selection set with the answer's objects it applies to and its fields. */
export type VisitObjects = (
  objects: Record<string, unknown>[],
  fields: Map<string, FieldNode[]>,
) => void;

/**
 * Walks `data` along the operation's selection sets, each collected as GraphQL's CollectFields
 * does: fragments and inline fragments inlined (exact because the API schema has no interfaces
 * or unions, so every type condition holds), `@skip`/`@include` evaluated, response keys in
 * the order of their first appearance. A selection set is collected once for all the objects
 * of a list it applies to.
 */
export function walkAnswer(
  data: unknown,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  visit: VisitObjects,
): void {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!operation) return;
  const fragments = fragmentsOf(document);
  const collect = (selections: readonly SelectionNode[], into: Map<string, FieldNode[]>) => {
    for (const s of selections) {
      if (!isIncluded(s, variables)) continue;
      if (s.kind === Kind.FIELD) {
        const key = s.alias?.value ?? s.name.value;
        into.set(key, [...(into.get(key) ?? []), s]);
        continue;
      }
      const fragment: { selectionSet: FragmentDefinitionNode['selectionSet'] } | undefined =
        s.kind === Kind.INLINE_FRAGMENT ? s : fragments.get(s.name.value);
      if (fragment) collect(fragment.selectionSet.selections, into);
    }
  };
  const walk = (selections: readonly SelectionNode[], value: unknown): void => {
    const objects = (Array.isArray(value) ? value.flat(Infinity) : [value]).filter(
      (v): v is Record<string, unknown> => v !== null && typeof v === 'object',
    );
    if (objects.length === 0) return;
    const fields = new Map<string, FieldNode[]>();
    collect(selections, fields);
    visit(objects, fields);
    for (const [key, nodes] of fields) {
      const sub = nodes.flatMap((n) => n.selectionSet?.selections ?? []);
      if (sub.length > 0)
        walk(
          sub,
          objects.map((o) => o[key]),
        );
    }
  };
  walk(operation.selectionSet.selections, data);
}

/**
 * Puts each object's keys of `data` in the order the operation selects them, as GraphQL
 * requires of a response map. @apollo/gateway answers in the order of its normalized operation,
 * which gathers inline fragments by type condition: `... on T { a } ... { b } ... on T { c }`
 * came back `a, c, b`, and a root field in `... on Query { }` moved before the fields around it.
 * Keys the operation does not select (an added `__typename`) stay, after the others.
 */
export function orderAsSelected(
  data: unknown,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): void {
  walkAnswer(data, document, operationName, variables, (objects, fields) => {
    const order = [...fields.keys()];
    for (const object of objects) {
      const keys = Object.keys(object);
      const wanted = order.filter((k) => k in object);
      if (wanted.every((k, i) => keys[i] === k)) continue;
      const values = new Map(Object.entries(object));
      for (const key of keys) delete object[key];
      for (const key of wanted) object[key] = values.get(key);
      for (const [key, value] of values) if (!fields.has(key)) object[key] = value;
    }
  });
}
