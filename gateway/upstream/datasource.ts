import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { GatewayContext } from '../context.js';
import { requiredFieldsOf } from '../operations/join-fields.js';
import {
  IDEMPOTENCY_HEADER,
  IDEMPOTENCY_REQUEST_HEADER,
  idempotencyHeaderOf,
} from '../../contract/idempotency.js';
import type { BreakerState, FetchObserver } from '../observability/metrics.js';
import {
  parseResult,
  refusal,
  refused,
  restrictCachePolicy,
  SUBGRAPH_REQUEST_TOO_LARGE,
  TOO_LARGE_MESSAGE,
  type Settled,
} from './answers.js';
import { CircuitBreaker } from './breaker.js';
import { InFlight, scopeKey } from './dedupe.js';
import { KeyEchoes, echoKeys, takeEchoes } from './key-echo.js';

export { KeyEchoes };
import { guarded } from './guard.js';
import { createSubgraphHttpClient, type SubgraphHttpClient } from './http.js';
import { withRetries, type RetryPolicy } from './retry.js';
import { ParsedFetches } from './parsed-fetches.js';
import { shapeProblem } from './shape.js';
import { RequestHeaders } from './signing.js';
import {
  placeRequestErrors,
  unavailable,
  withNullEntityErrors,
  WRITE_NOT_SENT_MESSAGE,
  WRITE_UNKNOWN_MESSAGE,
  WRITE_UNKNOWN_NO_KEY_MESSAGE,
} from './unavailable.js';

export interface SubgraphPolicy extends RetryPolicy {
  breaker: { failureThreshold: number; resetMs: number };
  sharedSecret: string;
  /** Share one subgraph fetch between identical concurrent queries (same caller scopes). */
  dedupe: boolean;
  /** Most open connections to this subgraph. */
  maxSockets: number;
  /**
   * Largest request body sent to the subgraph (the subgraphs accept at least this much, see
   * config.ts): a larger fetch is refused with 413 SUBGRAPH_REQUEST_TOO_LARGE, never sent.
   */
  maxRequestBytes: number;
  /** Largest answer read from the subgraph: a longer one is cut, the fetch unavailable. */
  maxResponseBytes?: number;
  /** Bytes its parsed fetches may hold (FETCH_CACHE_MB); 8 MiB when unset. */
  fetchCacheBytes?: number;
}

export interface SubgraphSourceOptions {
  subgraph: string;
  url: string;
  policy: SubgraphPolicy;
  log: Logger;
  /** Metrics: fetches, breaker state, deduplication hits. */
  observeFetch?: FetchObserver;
  onBreakerChange?: (state: BreakerState) => void;
  recordCache?: (cache: string, hit: boolean) => void;
  /**
   * Called before a mutation fetch is sent; what it returns, once the fetch has answered or
   * failed (the response cache: no cached answer of this subgraph is served in between).
   */
  beginWrite?: (
    subgraph: string,
    answerWithinMs: number,
  ) => Promise<(answered: boolean) => Promise<void>>;
  /**
   * The whole supergraph's schema (@inaccessible parts included): an answer not of the shape of
   * the operation sent (shape.ts) is treated as no answer. Unset: answers are not checked.
   */
  supergraph?: () => GraphQLSchema | undefined;
  /** The gateway's rewritten entity fetches (key-echo.ts); one of the source's own when unset. */
  keyEchoes?: KeyEchoes;
}

/**
 * Fetches from one subgraph, as layers, outermost first:
 *
 * 1. size: a fetch larger than the subgraphs accept is not sent (413 SUBGRAPH_REQUEST_TOO_LARGE);
 * 2. signing and tracing (signing.ts): request id, signed identity, trace context; a mutation's
 *    `Idempotency-Key` (idempotency.ts);
 * 3. deduplication (dedupe.ts): identical concurrent queries of callers with the same scopes
 *    share one fetch, unless a write came between them (shareKey); never mutations;
 * 4. breaker and metrics (guard.ts, breaker.ts);
 * 5. timeout and retry (retry.ts): one deadline for the whole fetch, queries retried with
 *    backoff, never mutations;
 * 6. pooled keep-alive HTTP (http.ts).
 *
 * 7. shape (shape.ts): an answer that lacks a selected field, holds a value not of its type,
 *    or the wrong number of entities is garbage, not data: unavailable, and logged; so is one
 *    whose entities name other keys than their representations (key-echo.ts: every entity
 *    fetch asks its key fields back). An entity answered null without an error gets one at
 *    each of its fields (unavailable.ts, withNullEntityErrors).
 *
 * Any failure becomes a SUBGRAPH_UNAVAILABLE error at each affected response path, without the
 * subgraph's address (unavailable.ts). A client error is never a subgraph outage: the 4xx
 * answers a subgraph gives for the caller (answers.ts, callerRefusal: 413, an Idempotency-Key
 * refusal with the draft's 422 or 409) pass on, are not retried and do not count against the
 * breaker. No other 4xx is the caller's fault (the gateway validated the request): it is a
 * failure, SUBGRAPH_UNAVAILABLE, not retried, counted, and logged with its status and the start
 * of its body, and nothing of it reaches the caller.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  readonly breaker: CircuitBreaker;
  readonly url: string;
  private readonly http: SubgraphHttpClient;
  private readonly headers: RequestHeaders;
  private readonly inFlight: InFlight<Settled>;
  /** Mutation fetches of this subgraph settled so far (shareKey). */
  private writes = 0;
  /** Documents parsed from text when the engine did not hand one over (bounded in bytes). */
  readonly parsed: ParsedFetches;
  private readonly keyEchoes: KeyEchoes;

  constructor(private readonly opts: SubgraphSourceOptions) {
    const { subgraph, policy, log } = opts;
    this.parsed = new ParsedFetches(500, policy.fetchCacheBytes);
    this.keyEchoes = opts.keyEchoes ?? new KeyEchoes(policy.fetchCacheBytes);
    this.url = opts.url;
    this.http = createSubgraphHttpClient(opts.url, {
      maxSockets: policy.maxSockets,
      maxResponseBytes: policy.maxResponseBytes,
    });
    this.headers = new RequestHeaders(policy.sharedSecret);
    this.inFlight = new InFlight(opts.recordCache);
    this.breaker = new CircuitBreaker(
      policy.breaker.failureThreshold,
      policy.breaker.resetMs,
      (state) => {
        log.warn({ subgraph, state }, `circuit breaker of ${subgraph} is ${state}`);
        opts.onBreakerChange?.(state === 'half-open' ? 'half_open' : state);
      },
    );
  }

  /** Closes the pooled connections. */
  close(): void {
    this.http.close();
  }

  async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const { subgraph, policy, log } = this.opts;
    const { query, variables, operationName } = options.request;
    if (!query) throw new Error('Missing query');
    // Health checks and schema loading go straight through; only operations are guarded.
    if (!('incomingRequestContext' in options)) {
      const body = JSON.stringify({ query, variables, operationName });
      const res = await this.http.post(body, this.headers.for(undefined), policy.timeoutMs);
      return parseResult(res);
    }
    const schema = this.opts.supergraph?.();
    const echo = schema && echoKeys(schema, query, variables, this.keyEchoes);
    const sent = echo ? echo.query : query;
    const body = JSON.stringify({ query: sent, variables, operationName });
    const context = options.context;
    context?.subgraphs?.add(subgraph);
    const isMutation = /^\s*mutation\b/.test(query);
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > policy.maxRequestBytes) {
      log.warn(
        { subgraph, requestId: context?.requestId, bytes, limit: policy.maxRequestBytes },
        'subgraph request over the size limit: not sent',
      );
      return refusal(options, 413, SUBGRAPH_REQUEST_TOO_LARGE, TOO_LARGE_MESSAGE);
    }
    const headers = this.headers.for(context);
    // Only on the mutation fetches: the entity reads that follow a write are not writes.
    if (isMutation && context?.idempotencyKey) {
      headers[IDEMPOTENCY_HEADER] = idempotencyHeaderOf(context.idempotencyKey);
      if (context.idempotencyRequest) {
        headers[IDEMPOTENCY_REQUEST_HEADER] = context.idempotencyRequest;
      }
    }
    const fetch = () =>
      guarded(this.breaker, subgraph, this.opts.observeFetch, (permit) =>
        withRetries(
          (remainingMs) => this.http.post(body, headers, remainingMs),
          policy,
          isMutation,
          permit,
          log,
          { subgraph, requestId: context?.requestId },
        ),
      );
    let settled: Settled | undefined;
    if (isMutation) {
      const written = await this.opts.beginWrite?.(subgraph, policy.timeoutMs);
      try {
        settled = await fetch();
      } finally {
        this.writes++; // reads from now on do not join a fetch that began before this write
        // No answer from the subgraph (a timeout, a lost connection): it may commit later.
        await written?.(settled?.ok === true || settled?.refused !== undefined);
      }
    } else if (!policy.dedupe || context?.ownFetches) settled = await fetch();
    else settled = await this.inFlight.share(this.shareKey(context, body), fetch);
    const keySent = headers[IDEMPOTENCY_HEADER] !== undefined;
    // A write without an answer has an unknown outcome, unless it was never sent: say which.
    const noAnswer = (unsent = false) =>
      !isMutation
        ? unavailable(options)
        : unavailable(
            options,
            unsent
              ? WRITE_NOT_SENT_MESSAGE
              : keySent
                ? WRITE_UNKNOWN_MESSAGE
                : WRITE_UNKNOWN_NO_KEY_MESSAGE,
          );
    if (!settled.ok) {
      return settled.refused
        ? refused(options, settled.refused, keySent)
        : noAnswer(settled.unsent);
    }
    const result = settled.parsed ?? parseResult(settled.res);
    settled.parsed = undefined;
    const problem =
      this.shapeProblemOf(sent, echo ? echo.document : options.document, variables, result) ??
      (echo && takeEchoes(echo, variables!, result));
    if (problem) {
      log.warn(
        { subgraph, requestId: context?.requestId, problem },
        'subgraph answer is not of the shape of its operation: treated as unavailable',
      );
      return noAnswer();
    }
    restrictCachePolicy(options, settled.res);
    const whole = this.opts.supergraph?.();
    const required = whole ? requiredFieldsOf(whole) : new Set<string>();
    return withNullEntityErrors(options, placeRequestErrors(options, result), required);
  }

  /**
   * Which in-flight fetch a query may share: the same body, callers of the same authorization,
   * and no write in between. A fetch that began before a write through this gateway settled
   * (`writes`), or before the write of another replica bumped the shared response cache's
   * generation this request saw, may hold data from before it: a read that starts after the
   * write was acknowledged must not take its answer (nor store it in the cache as fresh).
   */
  private shareKey(context: GatewayContext | undefined, body: string): string {
    const generation = context?.cacheGenerations?.[this.opts.subgraph] ?? '-';
    return `${this.writes}/${generation}\n${scopeKey(context?.identity)}\n${body}`;
  }

  private shapeProblemOf(
    query: string,
    document: DocumentNode | undefined,
    variables: Record<string, unknown> | undefined,
    result: GatewayGraphQLResponse,
  ): string | undefined {
    const schema = this.opts.supergraph?.();
    if (!schema) return undefined;
    return shapeProblem(schema, document ?? this.parsed.get(query), variables, result);
  }
}
