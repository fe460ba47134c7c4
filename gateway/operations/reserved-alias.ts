import { GraphQLError, type ValidationRule } from 'graphql';
import { joinFieldsFor } from './join-fields.js';

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
      return;
    }
    // Both planners merge the fields they add to join subgraphs (keys, @requires) by response
    // name: `{ region { code: name healthcare { … } } }` fetched `code` for the alias (apollo:
    // "331124" as the name) or sent the name as the key (default: healthcare null, an error),
    // and `children: name` beside `culture` left culture's input out (region null).
    const parent = context.getParentType();
    if (alias && alias !== node.name.value && parent) {
      if (joinFieldsFor(context.getSchema())?.get(parent.name)?.has(alias)) {
        context.reportError(
          new GraphQLError(
            `The alias "${alias}" is the name of a field of ${parent.name} the gateway fetches to join its subgraphs: use another alias.`,
            { nodes: node },
          ),
        );
      }
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
