import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Refuses an alias that starts with `__` on any field but the meta field of that name
 * (`__typename: name`, `__x: code`). graphql-js accepts them, but names starting with `__` are
 * GraphQL's own, and both engines read `__typename` in the answers they merge: with such an alias
 * the default engine answered the object null with no error, and @apollo/gateway failed the
 * request (500). A clear 400 GRAPHQL_VALIDATION_FAILED instead.
 */
export const ReservedAliasRule: ValidationRule = (context) => ({
  Field(node) {
    const alias = node.alias?.value;
    if (alias?.startsWith('__') && alias !== node.name.value) {
      context.reportError(
        new GraphQLError(
          `The alias "${alias}" is reserved: names starting with "__" belong to GraphQL itself.`,
          { nodes: node },
        ),
      );
    }
  },
});
