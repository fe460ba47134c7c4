import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
} from 'graphql';

/** A document's fragment definitions by name. */
export function fragmentsOf(doc: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  return fragments;
}

/**
 * Whether `@skip`/`@include` keep a selection for these variables (coerced, defaults applied, as
 * execution sees them). Throws as `getDirectiveValues` does when a condition's variable has no
 * value.
 */
export function isIncluded(
  node: { readonly directives?: readonly DirectiveNode[] },
  variables: Record<string, unknown>,
): boolean {
  return (
    getDirectiveValues(GraphQLSkipDirective, node, variables)?.if !== true &&
    getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false
  );
}
