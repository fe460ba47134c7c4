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

/**
 * Refuses an operation variable named `$representations`: both engines name the representations
 * of their entity fetches so. A client's variable of that name used in a field of an entity
 * fetch made @apollo/gateway fail (INTERNAL_SERVER_ERROR), and the default engine send the
 * subgraph a fetch using a variable it no longer declared: the subgraph refused it (400), five
 * such documents from one anonymous caller opened the circuit breaker of that subgraph, and
 * every caller's fields from it were null for BREAKER_RESET_MS. A clear 400 instead.
 */
export const RESERVED_VARIABLES: ReadonlySet<string> = new Set(['representations']);

export const ReservedVariableRule: ValidationRule = (context) => ({
  VariableDefinition(node) {
    const name = node.variable.name.value;
    if (RESERVED_VARIABLES.has(name)) {
      context.reportError(
        new GraphQLError(
          `The variable name "$${name}" is reserved for the gateway's own fetches: rename it.`,
          { nodes: node },
        ),
      );
    }
  },
});
