import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { isNonNullType, Kind, type DocumentNode, type SelectionNode } from 'graphql';
import { isIncluded } from '../operations/fragments.js';

/**
 * Whether an operation (in canonical form: fragments inlined) selects introspection root fields
 * (`__schema`, `__type`): none, only those (and `__typename`), or mixed with others.
 */
export function introspectionOf(document: DocumentNode): 'none' | 'only' | 'mixed' {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 'none';
  let introspection = false;
  let other = false;
  for (const s of operation.selectionSet.selections) {
    if (s.kind !== Kind.FIELD) other = true;
    else if (s.name.value === '__schema' || s.name.value === '__type') introspection = true;
    else if (s.name.value !== '__typename') other = true;
  }
  return introspection ? (other ? 'mixed' : 'only') : 'none';
}

/**
 * `data` for an operation none of whose root fields was fetched: as GraphQL execution nulls it.
 * Root fields left out by `@skip`/`@include` are not in it; a root `__typename` is the root type's name.
 */
export function emptyRoot(
  request: Pick<GatewayGraphQLRequestContext, 'schema' | 'operation' | 'document'>,
  variables: Record<string, unknown>,
): Record<string, string | null> | null {
  const root = request.schema.getRootType(request.operation.operation);
  if (!root) return null;
  const data: Record<string, string | null> = {};
  const included = (node: SelectionNode) => isIncluded(node, variables);
  const visit = (selections: readonly SelectionNode[]): boolean => {
    for (const s of selections) {
      if (!included(s)) continue;
      if (s.kind === Kind.FIELD) {
        // The root type's name, whichever subgraph's failed fetch carried it.
        if (s.name.value === '__typename') {
          data[s.alias?.value ?? s.name.value] = root.name;
          continue;
        }
        const field = root.getFields()[s.name.value];
        if (!field || isNonNullType(field.type)) return false;
        data[s.alias?.value ?? s.name.value] = null;
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (!visit(s.selectionSet.selections)) return false;
      } else {
        const fragment = request.document.definitions.find(
          (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value,
        );
        if (fragment?.kind !== Kind.FRAGMENT_DEFINITION) return false;
        if (!visit(fragment.selectionSet.selections)) return false;
      }
    }
    return true;
  };
  return visit(request.operation.selectionSet.selections) ? data : null;
}
