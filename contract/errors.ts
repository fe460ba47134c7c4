/**
 * Stable error codes shared by every subgraph and the gateway. Clients branch on these, never
 * on messages (docs/errors.md lists them with their meaning).
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** A subgraph fetch larger than the subgraphs accept; the gateway refuses it unsent. */
  SUBGRAPH_REQUEST_TOO_LARGE: 'SUBGRAPH_REQUEST_TOO_LARGE',
  /** An Idempotency-Key used before with a different request (the draft's 422). */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** The first request with this Idempotency-Key has not finished (the draft's 409). */
  IDEMPOTENCY_KEY_IN_USE: 'IDEMPOTENCY_KEY_IN_USE',
  /** A field @apollo/gateway's planner cannot fetch beside the rest (gateway/engine/unplannable.ts). */
  PLANNING_UNSUPPORTED: 'PLANNING_UNSUPPORTED',
  /**
   * A domain holds no data for a place (or only part of a region's): its loaded scope does not
   * cover it, though places holds it (docs/data.md, "Scopes must agree").
   */
  NOT_LOADED: 'NOT_LOADED',
} as const;

/**
 * Codes whose message is written for clients and passes through unchanged, at a subgraph and at
 * the gateway; every other error reaches clients as a generic INTERNAL_SERVER_ERROR.
 */
export const CLIENT_SAFE_CODES: ReadonlySet<string> = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  // The gateway's fallback planner took longer than PLAN_TIMEOUT_MS (gateway/engine/fallback-planner.ts).
  'PLANNING_TIMEOUT',
  ErrorCode.PLANNING_UNSUPPORTED,
  ErrorCode.NOT_LOADED,
  ErrorCode.SUBGRAPH_UNAVAILABLE,
  ErrorCode.SUBGRAPH_REQUEST_TOO_LARGE,
  // Exactly-once writes (subgraphs/shared/idempotency.ts).
  ErrorCode.IDEMPOTENCY_KEY_REUSED,
  ErrorCode.IDEMPOTENCY_KEY_IN_USE,
]);
