import type { GraphQLFormattedError } from 'graphql';

/** Codes whose messages are written for clients; anything else is masked. */
const CLIENT_SAFE_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'SUBGRAPH_UNAVAILABLE',
  'SUBGRAPH_REQUEST_TOO_LARGE',
  // Exactly-once writes (subgraphs/shared/idempotency.ts).
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_KEY_IN_USE',
]);

/** Extension keys a client may see besides `code`. */
const SAFE_EXTENSIONS = ['field', 'requestId'];

/**
 * Shapes every error the gateway returns: expected errors keep their message and code; the rest
 * become a generic INTERNAL_SERVER_ERROR. Never SQL text, stack traces, subgraph names or URLs.
 */
export function formatGatewayError(
  formatted: GraphQLFormattedError,
  requestId: string | undefined,
): { error: GraphQLFormattedError; masked: boolean } {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_SAFE_CODES.has(code)) {
    const extensions: Record<string, unknown> = { code };
    for (const key of SAFE_EXTENSIONS) {
      if (formatted.extensions?.[key] !== undefined) extensions[key] = formatted.extensions[key];
    }
    return {
      error: {
        message: formatted.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions,
      },
      masked: false,
    };
  }
  return {
    error: {
      message: 'Internal server error',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) },
    },
    masked: true,
  };
}
