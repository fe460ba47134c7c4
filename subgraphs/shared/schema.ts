import 'reflect-metadata';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import {
  buildSchema,
  createResolversMap,
  getMetadataStorage,
  type BuildSchemaOptions,
} from 'type-graphql';
import { guardArguments } from './argument-guard.js';
import { markSimpleFields } from './simple-fields.js';

/** The Federation 2 features every subgraph may use. */
const FEDERATION_LINK = `extend schema
  @link(
    url: "https://specs.apollo.dev/federation/v2.9"
    import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@authenticated", "@requiresScopes", "@cost", "@listSize"]
  )
`;

/**
 * Demand control (`@listSize`, https://specs.apollo.dev/cost/v0.1) of a page of a Relay
 * connection: `first` items in `edges`, 20 when `first` is omitted (every resolver's default
 * page size). The gateway's cost limit reads it from the supergraph (docs/security.md).
 */
export const CONNECTION_LIST_SIZE =
  '@listSize(slicingArguments: ["first"], sizedFields: ["edges"], assumedSize: 20, requireOneSlicingArgument: false)';

/** Demand control of a ranked list: `first` entries, 20 when omitted. */
export const RANKING_LIST_SIZE =
  '@listSize(slicingArguments: ["first"], assumedSize: 20, requireOneSlicingArgument: false)';

/**
 * Description of a domain's `<domain>IndexInput` field on Region and Village: the input of the
 * digital-village index that places `@requires`. Always answered (zero components with
 * `hasFigures: false` where the domain holds no figures), so that a missing input can only mean
 * "the domain did not answer" and the index is then null with an error, never a lower score.
 */
export function indexInputDescription(domain: string): string {
  return (
    `${domain}'s components of the digital-village index, always answered (zero with ` +
    '`hasFigures: false` where it holds no figures): the input places computes the index from.'
  );
}

/** The `hasFigures` field of a domain's index components. */
export const HAS_FIGURES_DESCRIPTION =
  'False when the subgraph holds no figures for the place: the components are then 0 and the ' +
  'digital-village index counts them as missing, not as measured.';

// Resolver maps are plain objects of functions keyed by type and field name.
type ReferenceResolvers = Record<string, { __resolveReference: (...args: never[]) => unknown }>;

/**
 * type-graphql builds the types; @apollo/subgraph adds `_entities`/`_service` and reads the
 * `@key`s that type-graphql keeps on AST nodes (printSchemaWithDirectives preserves them).
 * Every resolver that takes arguments is guarded by the shared argument rules (argument-guard.ts);
 * plain properties are read by graphql-js itself (simple-fields.ts).
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  references: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  markSimpleFields(options);
  restoreParameterOrder();
  const schema = await buildSchema({ ...options, skipCheck: true, validate: false });
  const typeDefs = parse(FEDERATION_LINK + printSchemaWithDirectives(schema));
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, ref] of Object.entries(references)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...ref };
  }
  return guardArguments(
    buildSubgraphSchema({ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> }),
  );
}

/**
 * type-graphql sorts a field's parameter list in place when it resolves the field (`getParams`),
 * and a type keeps its fields' lists from their first build: in a process that had answered
 * queries, a schema built again listed `Region.villages(first, after, kind)` where a fresh build
 * lists `(kind, first, after)`. The lists go back to the order the decorators registered them
 * (the last parameter first), so that every build prints the same SDL.
 */
function restoreParameterOrder(): void {
  const storage = getMetadataStorage();
  for (const type of [...storage.objectTypes, ...storage.interfaceTypes]) {
    for (const field of type.fields ?? []) field.params?.sort((a, b) => b.index - a.index);
  }
}

/** The subgraph SDL as the composition sees it (federation directives kept). */
export function printFederatedSdl(schema: GraphQLSchema): string {
  return printSubgraphSchema(schema);
}
