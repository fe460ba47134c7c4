import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/** An error answered by the graph, with its stable code (docs/errors.md). */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * A minimal typed client: the document fixes the result and variable types, so a schema change
 * that breaks a screen breaks its compilation. Apollo Client and urql accept the same
 * TypedDocumentNodes.
 */
export function createClient(endpoint: string, apiKey?: string) {
  return async function request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<TResult> {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(apiKey ? { 'x-api-key': apiKey } : {}),
      },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await res.json()) as {
      data?: TResult | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    const first = body.errors?.[0];
    if (first || body.data == null) {
      throw new GraphQLRequestError(
        first?.message ?? `HTTP ${res.status}`,
        first?.extensions?.code,
        res.status,
      );
    }
    return body.data;
  };
}
