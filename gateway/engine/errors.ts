import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { CLIENT_SAFE_CODES, ErrorCode } from '../../contract/errors.js';

/** An engine fault as the caller sees it (the cause is logged): an error, not an HTTP 500. */
export const internalError = () =>
  new GraphQLError('Internal server error', {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  });

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
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(requestId ? { requestId } : {}) },
    },
    masked: true,
  };
}
