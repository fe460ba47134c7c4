import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import {
  type GraphQLResolveInfo,
  isInterfaceType,
  isObjectType,
  Kind,
  type ConstDirectiveNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/** Requests (their context) whose answer a resolver made not cacheable. */
const notCacheable = new WeakSet<object>();

/**
 * Makes the answer to this request `no-store`, whatever else it holds: for a field whose value
 * changes without a write through this subgraph's own mutations (the change feed, read from the
 * other domains' outboxes), which no cache could know to drop. Under Apollo's per-field plugin
 * it is the hint `maxAge: 0`.
 */
export function answerNotCacheable(context: object, info: GraphQLResolveInfo): void {
  notCacheable.add(context);
  (
    info as { cacheControl?: { setCacheHint(hint: { maxAge: number }): void } }
  ).cacheControl?.setCacheHint({ maxAge: 0 });
}

/**
 * The plugins that set a subgraph answer's `Cache-Control` (mutations are never cacheable): for a
 * schema without `@cacheControl` hints whose resolvers set none (`info.cacheControl`, which is
 * then undefined) — every product subgraph — operationCachePolicy; otherwise Apollo's per-field
 * plugin, which combines them.
 */
export function cachePolicyPlugins(
  schema: GraphQLSchema,
  defaultMaxAge: number,
  resolversSetHints = false,
): ApolloServerPlugin<BaseContext>[] {
  if (!resolversSetHints && !hasCacheControlHints(schema)) {
    // Apollo installs its own plugin unless told not to.
    return [ApolloServerPluginCacheControlDisabled(), operationCachePolicy(defaultMaxAge)];
  }
  return [ApolloServerPluginCacheControl({ defaultMaxAge }), mutationsUncacheable];
}

/**
 * Mutation answers are never cacheable, whatever the hints of the fields they return. Apollo
 * calls executionDidStart without an operation when it cannot pick one (several, no name).
 */
const mutationsUncacheable: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async executionDidStart({ operation, overallCachePolicy }) {
        if (operation?.operation !== 'query') overallCachePolicy.restrict({ maxAge: 0 });
      },
    };
  },
};

/** Whether any type or field of the schema carries a `@cacheControl` directive. */
export function hasCacheControlHints(schema: GraphQLSchema): boolean {
  const hinted = (directives?: readonly ConstDirectiveNode[]) =>
    !!directives?.some((d) => d.name.value === 'cacheControl');
  return Object.values(schema.getTypeMap()).some(
    (type) =>
      hinted(type.astNode?.directives) ||
      type.extensionASTNodes.some((node) => hinted(node.directives)) ||
      ((isObjectType(type) || isInterfaceType(type)) &&
        Object.values(type.getFields()).some((field) => hinted(field.astNode?.directives))),
  );
}

/**
 * The answer's `Cache-Control`, computed once per request from the operation rather than field
 * by field. Apollo Server's cache-control plugin hooks every resolved field to combine
 * `@cacheControl` hints; the subgraphs declare none, and for such a schema
 * its answer depends only on the operation: a query that ran at least one root field of the
 * schema, answered without errors, is cacheable for `defaultMaxAge` seconds (public); anything
 * else — a mutation, an answer with errors, only `__typename` or introspection at the root, a
 * rejected request, an answer a resolver made not cacheable (answerNotCacheable) — is
 * `no-store`. This plugin gives that answer without the per-field hook, which cost 9–15 % of a
 * subgraph's time per `_entities` fetch (bench/notes.md);
 * test/cache-policy.test.ts compares it with Apollo's plugin, header for header.
 */
export function operationCachePolicy(defaultMaxAge: number): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operation, document, contextValue }) {
          if (response.http.headers.has('cache-control')) return;
          const body = response.body;
          const cacheable =
            defaultMaxAge > 0 &&
            !notCacheable.has(contextValue) &&
            operation?.operation === 'query' &&
            body.kind === 'single' &&
            !body.singleResult.errors &&
            ranSchemaRootField(
              operation.selectionSet,
              new Map(
                document?.definitions
                  .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
                  .map((f) => [f.name.value, f]),
              ),
              body.singleResult.data ?? {},
            );
          response.http.headers.set(
            'cache-control',
            cacheable ? `max-age=${defaultMaxAge}, public` : 'no-store',
          );
        },
      };
    },
  };
}

/**
 * Whether the answer holds a root field that is not a meta field (`__typename`, `__schema`,
 * `__type`): the keys of `data` are the response names of the root fields that ran (a field
 * skipped by `@skip`/`@include` has none), mapped back to their fields through the selection
 * set and its fragments (each visited once). Validation has made each response name one field.
 */
function ranSchemaRootField(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  data: Record<string, unknown>,
): boolean {
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode): boolean =>
    set.selections.some((s) => {
      if (s.kind === Kind.FIELD) {
        return !s.name.value.startsWith('__') && Object.hasOwn(data, (s.alias ?? s.name).value);
      }
      if (s.kind === Kind.INLINE_FRAGMENT) return visit(s.selectionSet);
      const name = s.name.value;
      if (seen.has(name)) return false;
      seen.add(name);
      const fragment = fragments.get(name);
      return fragment ? visit(fragment.selectionSet) : false;
    });
  return visit(selectionSet);
}
