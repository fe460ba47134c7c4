import {
  Kind,
  visit,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import { fragmentsOf, isIncluded } from '../operations/fragments.js';

/**
 * The operation of a request in the form the Rust runtime answers correctly: what GraphQL's
 * CollectFields makes of it, written out. `@skip`/`@include` are evaluated with the request's
 * variables (excluded selections are dropped, the directives removed), named and inline
 * fragments are inlined, and the fields one selection set selects several times under the same
 * response key are merged into one field whose selections are all of theirs — in the order of
 * first occurrence, as the answer's keys are.
 *
 * Why: the runtime answers `children { code } ... { children { name } }` or `children { code }
 * children { name }` with the list twice over (each selection's items appended) instead of one
 * list of merged items — a wrong answer. Validation has already checked that such fields merge
 * (same field, same arguments). Inlining fragments is only exact where every type condition is
 * the enclosing type, which holds for a schema without interfaces and unions (the API schema
 * here has none); `flattenFragments: false` keeps fragments and only merges plain duplicates.
 *
 * Size: the result holds the expanded selections, which the pipeline bounds before anything
 * runs (MAX_EXPANDED_SELECTIONS).
 */
export function canonicalOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  flattenFragments = true,
): DocumentNode {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!operation) return document;
  const fragments = fragmentsOf(document);
  const included = (node: SelectionNode) => isIncluded(node, variables);
  const conditional = (name: string) => name === 'skip' || name === 'include';

  /** The merged fields (and kept fragments) of a list of selections, in order. */
  const collect = (selections: readonly SelectionNode[]): SelectionNode[] => {
    const out: SelectionNode[] = [];
    const byKey = new Map<string, { index: number; children: SelectionNode[] }>();
    const add = (list: readonly SelectionNode[]) => {
      for (const s of list) {
        if (!included(s)) continue;
        if (s.kind === Kind.FIELD) {
          const key = s.alias?.value ?? s.name.value;
          const seen = byKey.get(key);
          if (seen) {
            seen.children.push(...(s.selectionSet?.selections ?? []));
            continue;
          }
          byKey.set(key, { index: out.length, children: [...(s.selectionSet?.selections ?? [])] });
          out.push({ ...s, directives: s.directives?.filter((d) => !conditional(d.name.value)) });
        } else if (flattenFragments) {
          const set =
            s.kind === Kind.INLINE_FRAGMENT
              ? s.selectionSet
              : fragments.get(s.name.value)?.selectionSet;
          if (set) add(set.selections);
        } else {
          out.push(s);
        }
      }
    };
    add(selections);
    for (const { index, children } of byKey.values()) {
      const field = out[index] as FieldNode;
      if (!field.selectionSet) continue;
      out[index] = {
        ...field,
        selectionSet: { ...field.selectionSet, selections: collect(children) },
      };
    }
    if (!flattenFragments) {
      for (let i = 0; i < out.length; i++) {
        const s = out[i];
        if (s.kind === Kind.INLINE_FRAGMENT) {
          out[i] = {
            ...s,
            selectionSet: { ...s.selectionSet, selections: collect(s.selectionSet.selections) },
          };
        }
      }
    }
    return out;
  };

  const canonical: OperationDefinitionNode = {
    ...operation,
    selectionSet: {
      ...operation.selectionSet,
      selections: collect(operation.selectionSet.selections),
    },
  };
  return {
    ...document,
    definitions: flattenFragments
      ? [canonical]
      : document.definitions.map((d) => (d === operation ? canonical : d)),
  };
}

/** The variables a document's `@skip`/`@include` conditions read (their values pick the form). */
export function conditionVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Directive(node) {
      if (node.name.value !== 'skip' && node.name.value !== 'include') return;
      for (const arg of node.arguments ?? []) {
        if (arg.value.kind === Kind.VARIABLE) names.add(arg.value.name.value);
      }
    },
  });
  return [...names].sort();
}
