import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Logger } from 'pino';
import type { Identity } from './auth.js';
import { CircuitBreaker } from './breaker.js';
import { IDENTITY_HEADER, signIdentity } from './identity-header.js';
import type { BreakerState, FetchObserver, FetchOutcome } from './metrics.js';
import {
  createSubgraphHttpClient,
  type SubgraphHttpClient,
  type SubgraphHttpResponse,
} from './subgraph-http.js';
import { cacheHintOf, unavailable } from './subgraph-response.js';
import { injectTraceContext } from './tracing.js';

export interface GatewayContext {
  requestId: string;
  identity?: Identity;
  /** Filled in with the subgraphs the request fetched from (response cache invalidation). */
  subgraphs?: Set<string>;
}

export interface SubgraphPolicy {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  breaker: { failureThreshold: number; resetMs: number };
  sharedSecret: string;
  /** Share one subgraph fetch between identical concurrent queries (same caller scopes). */
  dedupe: boolean;
  /** Most open connections to this subgraph. */
  maxSockets: number;
}

type OperationOptions = Extract<
  GraphQLDataSourceProcessOptions<GatewayContext>,
  { incomingRequestContext: unknown }
>;

class SubgraphFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * A fetch that ended: the subgraph's answer or unavailable. The parsed result goes to the first
 * consumer; others sharing the fetch parse the text again (the gateway merges response objects
 * into its own result tree, so two requests must never share them).
 */
type Settled =
  { ok: true; res: SubgraphHttpResponse; parsed?: GatewayGraphQLResponse } | { ok: false };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const JSON_TYPE = /^application\/(graphql-response\+)?json/;
/** Identity headers are re-signed after this long (subgraphs accept them for 5 minutes). */
const SIGNATURE_TTL_MS = 30_000;

/**
 * Fetches from one subgraph over pooled keep-alive connections (subgraph-http.ts). Passes the
 * request id, the signed caller identity and the trace context on; bounds the whole fetch
 * (retries included) by the timeout; retries queries — never mutations — with exponential
 * backoff; trips a circuit breaker after repeated failures; shares one fetch between identical
 * concurrent queries of callers with the same scopes. Any failure becomes a SUBGRAPH_UNAVAILABLE
 * error at each affected response path, without the subgraph's address.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  readonly breaker: CircuitBreaker;
  private readonly http: SubgraphHttpClient;
  private readonly inFlight = new Map<string, Promise<Settled>>();
  private readonly signatures = new Map<string, { value: string; until: number }>();

  constructor(
    private readonly subgraph: string,
    readonly url: string,
    private readonly policy: SubgraphPolicy,
    private readonly log: Logger,
    private readonly observeFetch?: FetchObserver,
    onBreakerChange?: (state: BreakerState) => void,
    private readonly recordCache?: (cache: string, hit: boolean) => void,
  ) {
    this.http = createSubgraphHttpClient(url, { maxSockets: policy.maxSockets });
    this.breaker = new CircuitBreaker(
      policy.breaker.failureThreshold,
      policy.breaker.resetMs,
      (state) => {
        log.warn({ subgraph, state }, `circuit breaker of ${subgraph} is ${state}`);
        onBreakerChange?.(state === 'half-open' ? 'half_open' : state);
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
    const { query, variables, operationName } = options.request;
    if (!query) throw new Error('Missing query');
    const body = JSON.stringify({ query, variables, operationName });
    // Health checks and schema loading go straight through; only operations are guarded.
    if (!('incomingRequestContext' in options)) {
      const res = await this.http.post(body, this.headersFor(undefined), this.policy.timeoutMs);
      return parseResult(res);
    }
    const context = options.context;
    context?.subgraphs?.add(this.subgraph);
    const isMutation = /^\s*mutation\b/.test(query);
    let settled: Settled;
    if (isMutation || !this.policy.dedupe) {
      settled = await this.guarded(body, context, isMutation);
    } else {
      const key = `${scopeKey(context?.identity)}\n${body}`;
      const shared = this.inFlight.get(key);
      this.recordCache?.('subgraph_fetch_dedup', shared !== undefined);
      if (shared) settled = await shared;
      else {
        const started = this.guarded(body, context, false);
        this.inFlight.set(key, started);
        try {
          settled = await started;
        } finally {
          this.inFlight.delete(key);
        }
      }
    }
    if (!settled.ok) return unavailable(options);
    const result = settled.parsed ?? parseResult(settled.res);
    settled.parsed = undefined;
    restrictCachePolicy(options, settled.res);
    return result;
  }

  /** The breaker, metrics and retries around one logical fetch. */
  private async guarded(
    body: string,
    context: GatewayContext | undefined,
    isMutation: boolean,
  ): Promise<Settled> {
    if (!this.breaker.allow()) return { ok: false };
    // Observability: fetch count, latency and errors per subgraph.
    const done = this.observeFetch?.(this.subgraph);
    let outcome: FetchOutcome = 'unavailable';
    try {
      const settled = await this.attempt(body, context, isMutation);
      if (settled.ok) outcome = settled.parsed?.errors?.length ? 'graphql_error' : 'success';
      return settled;
    } finally {
      done?.(outcome);
    }
  }

  /** Retries queries with backoff inside the deadline, never mutations. */
  private async attempt(
    body: string,
    context: GatewayContext | undefined,
    isMutation: boolean,
  ): Promise<Settled> {
    const requestId = context?.requestId;
    const deadline = Date.now() + this.policy.timeoutMs;
    const headers = this.headersFor(context);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.http.post(body, headers, deadline - Date.now());
        const parsed = checkResponse(res);
        this.breaker.success();
        return { ok: true, res, parsed };
      } catch (err) {
        const status = err instanceof SubgraphFailure ? err.status : undefined;
        const timedOut = (err as Error).name === 'TimeoutError' || Date.now() >= deadline;
        // A 4xx is our request's fault: neither retried nor counted against the subgraph.
        const clientError = typeof status === 'number' && status >= 400 && status < 500;
        const wait = this.policy.backoffMs * 2 ** attempt * (0.5 + Math.random());
        const retry =
          !isMutation &&
          !clientError &&
          !timedOut &&
          attempt < this.policy.retries &&
          Date.now() + wait < deadline;
        this.log.warn(
          { err, subgraph: this.subgraph, requestId, attempt, retry },
          'subgraph fetch failed',
        );
        if (retry) {
          await sleep(wait);
          continue;
        }
        if (!clientError) this.breaker.failure();
        return { ok: false };
      }
    }
  }

  private headersFor(context: GatewayContext | undefined): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (context?.requestId) headers['x-request-id'] = context.requestId;
    if (context?.identity) headers[IDENTITY_HEADER] = this.signed(context.identity);
    // Observability: continue the trace (the active span is @apollo/gateway's fetch span).
    injectTraceContext({ set: (name, value) => (headers[name] = value) });
    return headers;
  }

  /** The identity header, re-used for a while per caller: one HMAC per caller, not per fetch. */
  private signed(identity: Identity): string {
    const key = `${identity.kind}\n${identity.id}\n${identity.scopes.join(' ')}`;
    const now = Date.now();
    const known = this.signatures.get(key);
    if (known && known.until > now) return known.value;
    if (this.signatures.size >= 10_000) this.signatures.clear();
    const value = signIdentity(identity, this.policy.sharedSecret, now);
    this.signatures.set(key, { value, until: now + SIGNATURE_TTL_MS });
    return value;
  }
}

/** What two callers must share for one subgraph answer to serve both. */
function scopeKey(identity: Identity | undefined): string {
  if (!identity) return '-';
  return `${identity.authenticated ? 'auth' : 'anon'}:${[...identity.scopes].sort().join(' ')}`;
}

/** The parsed answer; throws a SubgraphFailure unless it is a 2xx GraphQL JSON result. */
function checkResponse(res: SubgraphHttpResponse): GatewayGraphQLResponse {
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

function parseResult(res: SubgraphHttpResponse): GatewayGraphQLResponse {
  return JSON.parse(res.body) as GatewayGraphQLResponse;
}

/** As @apollo/gateway's own data source: the subgraph's Cache-Control restricts the response's. */
function restrictCachePolicy(options: OperationOptions, res: SubgraphHttpResponse): void {
  const policy = options.incomingRequestContext.overallCachePolicy;
  if (!policy || !('restrict' in policy)) return;
  policy.restrict(cacheHintOf(res.headers['cache-control']));
}
