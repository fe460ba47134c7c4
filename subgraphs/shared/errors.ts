import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { CLIENT_SAFE_CODES, ErrorCode } from '../../contract/errors.js';

/** Invalid argument or input field; `field` names the offending argument path. */
export function badUserInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, field } });
}

/**
 * A field computed from another subgraph's data (`@requires`) whose data did not arrive: the
 * field is null with this error, never computed from what is left. Same code and message as
 * the gateway's own outage errors.
 */
export function inputsUnavailable(): GraphQLError {
  return new GraphQLError('A part of the graph is unavailable right now.', {
    extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE },
  });
}

/**
 * PostgreSQL's states for a statement that lost a race it may win when tried again: a lock not
 * granted within lock_timeout (database.ts), a deadlock, a serialization failure. The
 * transaction rolled back, so nothing of it was written.
 */
const RETRYABLE_STATES = new Set(['55P03', '40P01', '40001']);

/**
 * The answer for an error that is such a lost race (on the error or what it wraps), else
 * undefined: SUBGRAPH_UNAVAILABLE, which clients already retry, and a message that says nothing
 * was written. An unexpected error it is not: it is not masked as one, nor logged as one.
 */
export function retryableDatabaseError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError | undefined {
  for (let e = error, depth = 0; typeof e === 'object' && e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE_STATES.has(code)) {
      return {
        message:
          'Another write holds the data this one needs; nothing was written. Try again shortly ' +
          '(with the same Idempotency-Key).',
        path: formatted.path,
        extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE },
      };
    }
    e = (e as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/**
 * Masks everything that is not an expected, client-safe error: the client sees a generic
 * INTERNAL_SERVER_ERROR (with the request id to quote), the log keeps the original.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  requestId: string | undefined,
): { error: GraphQLFormattedError; masked: boolean } {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_SAFE_CODES.has(code)) {
    const extensions: Record<string, unknown> = { code };
    if (formatted.extensions?.field !== undefined) extensions.field = formatted.extensions.field;
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
