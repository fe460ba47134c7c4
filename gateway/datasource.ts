import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, parse, type DocumentNode, type FieldNode } from 'graphql';
import type { Logger } from 'pino';
import type { Identity } from './auth.js';
import { CircuitBreaker } from './breaker.js';
import { IDENTITY_HEADER, signIdentity } from './identity-header.js';
import type { BreakerState, FetchObserver, FetchOutcome } from './metrics.js';
import { injectTraceContext } from './tracing.js';

export interface GatewayContext {
  requestId: string;
  identity?: Identity;
}

export interface SubgraphPolicy {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  breaker: { failureThreshold: number; resetMs: number };
  sharedSecret: string;
}

const DEADLINE_HEADER = 'x-gateway-deadline';
const deadlines = new WeakMap<object, number>();
const MAX_PATH_ERRORS = 100;
const MESSAGE = 'A part of the graph is unavailable right now.';

class SubgraphFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Fetches from one subgraph. Passes the request id and the signed caller identity on; bounds
 * the whole fetch (retries included) by the timeout; retries queries — never mutations — with
 * exponential backoff; trips a circuit breaker after repeated failures. Any failure becomes a
 * SUBGRAPH_UNAVAILABLE error at each affected response path, without the subgraph's address.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly breaker: CircuitBreaker;

  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly policy: SubgraphPolicy,
    private readonly log: Logger,
    private readonly observeFetch?: FetchObserver,
    onBreakerChange?: (state: BreakerState) => void,
  ) {
    super({
      url,
      // Node's own fetch (undici: pooled keep-alive connections), bounded by what is left of
      // the fetch's time budget.
      fetcher: ((input: string, init: RequestInit & { headers: Record<string, string> }) => {
        const deadline = Number(init.headers[DEADLINE_HEADER]);
        delete init.headers[DEADLINE_HEADER];
        const left = Number.isFinite(deadline) ? deadline - Date.now() : policy.timeoutMs;
        return fetch(input, { ...init, signal: AbortSignal.timeout(Math.max(1, left)) });
      }) as never,
    });
    this.breaker = new CircuitBreaker(
      policy.breaker.failureThreshold,
      policy.breaker.resetMs,
      (state) => {
        log.warn({ subgraph, state }, `circuit breaker of ${subgraph} is ${state}`);
        onBreakerChange?.(state === 'half-open' ? 'half_open' : state);
      },
    );
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = options.request.http?.headers;
    if (!headers) return;
    const context = 'context' in options ? options.context : undefined;
    if (context?.requestId) headers.set('x-request-id', context.requestId);
    if (context?.identity) {
      headers.set(IDENTITY_HEADER, signIdentity(context.identity, this.policy.sharedSecret));
    }
    const deadline = deadlines.get(options);
    if (deadline) headers.set(DEADLINE_HEADER, String(deadline));
    // Observability: continue the trace (the active span is @apollo/gateway's fetch span).
    injectTraceContext(headers);
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    // Health checks and schema loading go straight through; only operations are guarded.
    if (!('incomingRequestContext' in options)) return super.process(options);
    const requestId = options.context?.requestId;
    if (!this.breaker.allow()) return unavailable(options);
    // Observability: fetch count, latency and errors per subgraph.
    const done = this.observeFetch?.(this.subgraph);
    let outcome: FetchOutcome = 'unavailable';
    try {
      return await this.attempt(options, requestId, (o) => (outcome = o));
    } finally {
      done?.(outcome);
    }
  }

  /** One guarded fetch: retries queries with backoff inside the deadline, never mutations. */
  private async attempt(
    options: Extract<
      GraphQLDataSourceProcessOptions<GatewayContext>,
      { incomingRequestContext: unknown }
    >,
    requestId: string | undefined,
    setOutcome: (o: FetchOutcome) => void,
  ): Promise<GatewayGraphQLResponse> {
    const isMutation = /^\s*mutation\b/.test(options.request.query ?? '');
    const deadline = Date.now() + this.policy.timeoutMs;
    deadlines.set(options, deadline);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await super.process(options);
        if (!res || typeof res !== 'object' || (!('data' in res) && !('errors' in res))) {
          throw new SubgraphFailure('response is not a GraphQL result', true);
        }
        this.breaker.success();
        setOutcome(res.errors?.length ? 'graphql_error' : 'success');
        return res;
      } catch (err) {
        const status = (err as { extensions?: { response?: { status?: number } } }).extensions
          ?.response?.status;
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
        return unavailable(options);
      }
    }
  }
}

/**
 * A GraphQL response carrying one SUBGRAPH_UNAVAILABLE error per field this fetch was to
 * provide: the gateway maps `_entities` indexes and root fields to response paths, so each
 * affected field gets its error and the rest of the response is kept.
 */
function unavailable(
  options: Extract<
    GraphQLDataSourceProcessOptions<GatewayContext>,
    { incomingRequestContext: unknown }
  >,
): GatewayGraphQLResponse {
  const err = (path?: (string | number)[]) => ({
    message: MESSAGE,
    ...(path ? { path } : {}),
    extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
  });
  let doc: DocumentNode;
  try {
    doc = options.document ?? parse(options.request.query ?? '');
  } catch {
    return { errors: [err()] };
  }
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const roots = (op?.selectionSet.selections ?? []).filter(
    (s): s is FieldNode => s.kind === Kind.FIELD,
  );
  const errors: ReturnType<typeof err>[] = [];
  const reps = options.request.variables?.representations;
  const entities = roots.find((f) => f.name.value === '_entities');
  if (entities && Array.isArray(reps)) {
    const fieldsOf = new Map<string, string[]>();
    for (const s of entities.selectionSet?.selections ?? []) {
      if (s.kind !== Kind.INLINE_FRAGMENT || !s.typeCondition) continue;
      const names = s.selectionSet.selections
        .filter((f): f is FieldNode => f.kind === Kind.FIELD && f.name.value !== '__typename')
        .map((f) => f.alias?.value ?? f.name.value);
      fieldsOf.set(s.typeCondition.name.value, names);
    }
    reps.forEach((rep: { __typename?: string }, i: number) => {
      for (const f of fieldsOf.get(rep?.__typename ?? '') ?? []) {
        if (errors.length < MAX_PATH_ERRORS) errors.push(err(['_entities', i, f]));
      }
    });
  } else {
    for (const f of roots) errors.push(err([f.alias?.value ?? f.name.value]));
  }
  return { errors: errors.length ? errors : [err()] };
}
