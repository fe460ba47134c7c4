import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../contract/errors.js';
import { KEY_REFUSAL_MESSAGE, KEY_REFUSAL_STATUS } from '../../contract/idempotency.js';
import type { GatewayContext } from '../context.js';
import type { SubgraphHttpResponse } from './http.js';
import { cacheHintOf, unavailable } from './unavailable.js';

/** A fetch of an operation (not a health check or schema load): its request context is known. */
export type OperationOptions = Extract<
  GraphQLDataSourceProcessOptions<GatewayContext>,
  { incomingRequestContext: unknown }
>;

/**
 * A failed exchange; `retryable` when another attempt may succeed. `excerpt`: the start of an
 * answer the subgraph should not have given, for the log (never for the caller).
 */
export class SubgraphFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly excerpt?: string,
    /**
     * The subgraph's GraphQL server refused the fetch's document or variables (documentRefusal):
     * it is up, so its breaker does not count it (retry.ts).
     */
    readonly answered = false,
  ) {
    super(message);
  }
}

/**
 * A subgraph's 4xx answer that is the caller's to see (callerRefusal): 413, or an
 * Idempotency-Key refusal with the draft's status.
 */
export class SubgraphRefusal extends Error {
  constructor(readonly res: SubgraphHttpResponse) {
    super(`HTTP ${res.status}`);
  }
}

/**
 * A fetch that ended: the subgraph's answer, its refusal for the caller, or unavailable. The
 * parsed result goes to the first consumer; others sharing the fetch parse the text again (the
 * gateway merges response objects into its own result tree, so two requests must never share
 * them).
 */
export type Settled =
  | { ok: true; res: SubgraphHttpResponse; parsed?: GatewayGraphQLResponse }
  | {
      ok: false;
      refused?: SubgraphHttpResponse;
      /** Certainly never reached the subgraph (no connection, the breaker open): not applied. */
      unsent?: boolean;
    };

/** The code of a fetch too large for the subgraphs' body limit (HTTP 413; see config.ts). */
export const SUBGRAPH_REQUEST_TOO_LARGE = ErrorCode.SUBGRAPH_REQUEST_TOO_LARGE;

export const TOO_LARGE_MESSAGE =
  'The request is too large to pass on once expanded for the subgraphs: send shorter values.';

/** The most characters of a refused answer's body written to the log. */
export const EXCERPT_CHARS = 500;

const JSON_TYPE = /^application\/(graphql-response\+)?json/;

/** The errors of a GraphQL JSON answer, or undefined when it is not one. */
function errorsOf(res: SubgraphHttpResponse): GraphQLFormattedError[] | undefined {
  if (!JSON_TYPE.test(String(res.headers['content-type'] ?? ''))) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    return undefined;
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) && errors.every((e) => !!e && typeof e === 'object')
    ? (errors as GraphQLFormattedError[])
    : undefined;
}

/**
 * Whether a subgraph's 4xx answer is one it gives on purpose for the caller, passed on by
 * `refused`. Only two are: 413, a fetch over the subgraph's body limit (its body is not read);
 * and an Idempotency-Key refusal: 422 or 409 with GraphQL JSON errors all of the code the draft
 * gives that status (KEY_REFUSAL_STATUS: IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_IN_USE).
 *
 * Nothing else a subgraph answers with a 4xx can be the caller's fault: the gateway validated
 * the operation and its variables against the supergraph, and the subgraphs refuse a bad
 * argument in the resolver (BAD_USER_INPUT naming the field, HTTP 200). A request-level error
 * (parse, validation or variable coercion of the gateway's own fetch, a malformed body) means
 * the subgraph is not the one the supergraph describes; a body that is not GraphQL JSON (an
 * HTML 404 of a proxy) means the fetch never reached it. Their messages name internal
 * variables, files or tables and are for the operator's log only.
 */
export function callerRefusal(res: SubgraphHttpResponse): boolean {
  if (res.status === 413) return true;
  const code = Object.entries(KEY_REFUSAL_STATUS).find(([, s]) => s === res.status)?.[0];
  if (!code) return false;
  const errors = errorsOf(res);
  return !!errors && errors.length > 0 && errors.every((e) => e.extensions?.code === code);
}

/** The codes Apollo Server answers 400 with when it refuses a request's document or variables. */
const DOCUMENT_REFUSAL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Whether a subgraph's 4xx is its GraphQL server refusing the fetch's document or variables: a
 * 400 whose errors all carry one of those codes. The subgraph is up and its GraphQL layer works;
 * the fetch is at fault (a planner's, or a subgraph deployed ahead of the supergraph).
 */
function documentRefusal(res: SubgraphHttpResponse): boolean {
  if (res.status !== 400) return false;
  const errors = errorsOf(res);
  return (
    !!errors &&
    errors.length > 0 &&
    errors.every((e) => DOCUMENT_REFUSAL_CODES.has(String(e.extensions?.code)))
  );
}

/** What a 4xx answer not for the caller was, for the log: its error codes, or not GraphQL. */
function misfitOf(res: SubgraphHttpResponse): string {
  const errors = errorsOf(res);
  if (!errors) return 'an answer that is not GraphQL JSON';
  const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'no code')))];
  return `GraphQL errors (${codes
    .slice(0, 5)
    .map((c) => c.slice(0, 64))
    .join(', ')})`;
}

/** The start of a body, at most EXCERPT_CHARS characters, with its full length when cut. */
export function excerptOf(body: string): string {
  if (body.length <= EXCERPT_CHARS) return body;
  return `${body.slice(0, EXCERPT_CHARS)}… (${body.length} characters)`;
}

/**
 * The parsed answer. Throws a SubgraphRefusal for a 4xx the caller is to see (callerRefusal);
 * a SubgraphFailure for any other answer that is not a 2xx GraphQL JSON result. Of those, every
 * other 4xx but 408 and 429 (slow, overloaded: retried) is final: the gateway's fetch is not
 * what the subgraph takes, and would be refused again.
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
    if (callerRefusal(res)) throw new SubgraphRefusal(res);
    throw new SubgraphFailure(
      `HTTP ${res.status}: the subgraph refused the gateway's fetch with ${misfitOf(res)} ` +
        '(a subgraph not of the supergraph, or an address that does not reach it)',
      false,
      res.status,
      excerptOf(res.body),
      documentRefusal(res),
    );
  }
  if (res.status < 200 || res.status >= 300) {
    throw new SubgraphFailure(`HTTP ${res.status}`, true, res.status);
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
 * The answer to a fetch a subgraph refused for the caller (callerRefusal): 413
 * SUBGRAPH_REQUEST_TOO_LARGE at each affected field for a body too large; else the subgraph's
 * Idempotency-Key refusal with its status (`extensions.http`, which Apollo Server applies and
 * removes), in the contract's words (KEY_REFUSAL_MESSAGE), not the subgraph's: its message,
 * locations and other extensions are its own. A key refusal of a fetch that sent no key (a
 * query, or a write without one) is not the caller's: unavailable.
 */
export function refused(
  options: OperationOptions,
  res: SubgraphHttpResponse,
  keySent: boolean,
): GatewayGraphQLResponse {
  // A body-size refusal says the same as the gateway's own check (the subgraph's limit is lower
  // than this gateway assumed: MAX_BODY_BYTES differs between them).
  if (res.status === 413) {
    return refusal(options, 413, SUBGRAPH_REQUEST_TOO_LARGE, TOO_LARGE_MESSAGE);
  }
  const errors = errorsOf(res);
  if (!keySent || !errors?.length) return unavailable(options); // not the caller's after all
  const http = { status: res.status };
  return {
    errors: errors.map((e) => {
      const code = String(e.extensions?.code);
      const message = KEY_REFUSAL_MESSAGE[code];
      return { message, path: e.path, extensions: { code, field: 'Idempotency-Key', http } };
    }),
  };
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
