import { printSchema, Supergraph } from '@apollo/federation-internals';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { readFileSync } from 'node:fs';

/**
 * The API schema of a supergraph: what clients see at the gateway, without the join__/link__
 * machinery and without @inaccessible parts. Client code generation and the breaking-change
 * check work on this, never on the raw supergraph SDL.
 */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  // Rebuilt from SDL with this module's `graphql`: federation-internals may load another copy
  // (CommonJS beside ESM), and graphql-js refuses schemas from a second instance.
  return buildSchema(apiSdlOf(supergraphSdl));
}

/** The API schema as SDL, with descriptions. */
export function apiSdlOf(supergraphSdl: string): string {
  // No feature-support check: which runtime enforces @authenticated/@requiresScopes is the
  // gateway's concern; the API schema is the same either way.
  return printSchema(Supergraph.build(supergraphSdl, { supportedFeatures: null }).apiSchema());
}

export const SUPERGRAPH_FILE = 'schema/supergraph.graphql';

export function readSupergraph(path = SUPERGRAPH_FILE): string {
  return readFileSync(path, 'utf8');
}
