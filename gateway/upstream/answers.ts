import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../contract/errors.js';
import type { GatewayContext } from '../context.js';
import type { SubgraphHttpResponse } from './http.js';
import { cacheHintOf, unavailable } from './unavailable.js';

/** A fetch of an operation (not a health check or schema load): its request context is known. */
export type OperationOptions = Extract<
  GraphQLDataSourceProcessOptions<GatewayContext>,
  { incomingRequestContext: unknown }
>;

/** A failed exchange; `retryable` when another attempt may succeed. */
export class SubgraphFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * A subgraph's 4xx answer: the request's fault, not the subgraph's. 408 and 429 are not among
 * them (the subgraph is slow or overloaded: those count as failures), nor 401 and 403 (the
 * subgraph refused the gateway itself).
 */
export class SubgraphRefusal extends Error {
  constructor(readonly res: SubgraphHttpResponse) {
    super(`HTTP ${res.status}`);
  }
}

/**
 * A fetch that ended: the subgraph's answer, its refusal (4xx), or unavailable. The parsed
 * result goes to the first consumer; others sharing the fetch parse the text again (the gateway
 * merges response objects into its own result tree, so two requests must never share them).
 */
export type Settled =
  | { ok: true; res: SubgraphHttpResponse; parsed?: GatewayGraphQLResponse }
  | { ok: false; refused?: SubgraphHttpResponse };

/** The code of a fetch too large for the subgraphs' body limit (HTTP 413; see config.ts). */
export const SUBGRAPH_REQUEST_TOO_LARGE = ErrorCode.SUBGRAPH_REQUEST_TOO_LARGE;

export const TOO_LARGE_MESSAGE =
  'The request is too large to pass on once expanded for the subgraphs: send shorter values.';

const JSON_TYPE = /^application\/(graphql-response\+)?json/;

/**
 * The parsed answer; throws a SubgraphRefusal for a 4xx (but 401, 403, 408 and 429), a
 * SubgraphFailure unless it is a 2xx GraphQL JSON result.
 */
export function checkResponse(res: SubgraphHttpResponse): GatewayGraphQLResponse {
  if (res.status === 401 || res.status === 403) {
    // The subgraph refused the gateway's own signed identity (the caller's credentials never
    // reach it): a secret that differs, or a clock off by minutes. Not the caller's to fix, and
    // no retry mends it: unavailable, counted by the breaker, and said so in the log.
    throw new SubgraphFailure(
      `HTTP ${res.status}: the subgraph refused the gateway's signed identity ` +
        '(GATEWAY_SHARED_SECRET not the same on both sides, or their clocks minutes apart)',
      false,
      res.status,
    );
  }
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    throw new SubgraphRefusal(res);
  }
  if (res.status < 200 || res.status >= 300) {
    throw new SubgraphFailure(`HTTP ${res.status}`, res.status >= 500, res.status);
  }
  const type = String(res.headers['content-type'] ?? '');
  if (!JSON_TYPE.test(type)) throw new SubgraphFailure('response is not JSON', true);
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    throw new SubgraphFailure('response is not valid JSON', true);
  }
  if (!parsed || typeof parsed !== 'object' || (!('data' in parsed) && !('errors' in parsed))) {
    throw new SubgraphFailure('response is not a GraphQL result', true);
  }
  return parsed as GatewayGraphQLResponse;
}

/**
 * The answer to a request a subgraph refused (4xx): 413 SUBGRAPH_REQUEST_TOO_LARGE at each
 * affected field for a body too large; else the subgraph's own GraphQL errors when it sent some
 * (validation, bad input, a reused idempotency key), or BAD_REQUEST at each affected field. The
 * subgraph's status becomes the answer's status (`extensions.http`, which Apollo Server applies
 * and removes).
 */
export function refused(
  options: OperationOptions,
  res: SubgraphHttpResponse,
): GatewayGraphQLResponse {
  // A body-size refusal says the same as the gateway's own check (the subgraph's limit is lower
  // than this gateway assumed: MAX_BODY_BYTES differs between them).
  if (res.status === 413) {
    return refusal(options, 413, SUBGRAPH_REQUEST_TOO_LARGE, TOO_LARGE_MESSAGE);
  }
  const http = { status: res.status };
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    parsed = undefined;
  }
  const errors = (parsed as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    return {
      errors: (errors as GraphQLFormattedError[]).map((e) => ({
        ...e,
        extensions: { ...e.extensions, http },
      })),
    };
  }
  return refusal(options, res.status, 'BAD_REQUEST', 'A part of the graph refused the request.');
}

/** One error per field the fetch was to provide, with this code and HTTP status. */
export function refusal(
  options: OperationOptions,
  status: number,
  code: string,
  message: string,
): GatewayGraphQLResponse {
  return {
    errors: (unavailable(options).errors ?? []).map((e) => ({
      ...e,
      message,
      extensions: { code, http: { status } },
    })),
  };
}

export function parseResult(res: SubgraphHttpResponse): GatewayGraphQLResponse {
  return JSON.parse(res.body) as GatewayGraphQLResponse;
}

/** As @apollo/gateway's own data source: the subgraph's Cache-Control restricts the response's. */
export function restrictCachePolicy(options: OperationOptions, res: SubgraphHttpResponse): void {
  const policy = options.incomingRequestContext.overallCachePolicy;
  if (!policy || !('restrict' in policy)) return;
  policy.restrict(cacheHintOf(res.headers['cache-control']));
}
