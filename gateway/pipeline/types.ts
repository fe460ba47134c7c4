import type { CallerSlots } from '../caller-slots.js';
import type { ApolloServer } from '@apollo/server';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { IncomingMessage } from 'node:http';
import type { AuditEntry } from '../observability/audit.js';
import type { AuthDirectives } from '../auth/authz.js';
import type { BodyBudget } from '../body-budget.js';
import type { GatewayConfig } from '../config.js';
import type { GatewayContext, Identity } from '../context.js';
import type { CostModel } from '../operations/cost.js';
import type { createDocumentResolver } from '../operations/documents.js';
import type { createLimits } from '../operations/limits.js';
import type { KeyClaims } from '../operations/key-claims.js';
import type { createOperationCache, PreparedOperation } from '../operations/operation-cache.js';
import type { createQuotas } from '../auth/quota.js';
import type { ResponseCache, ResponseCacheQuery } from '../operations/response-cache.js';
import type { Reply } from './reply.js';

/** Apollo's context for one request; the response plugin fills in the error codes. */
export interface RequestContext extends GatewayContext {
  errorCodes?: string[];
}

/** What the gateway serves from one supergraph. */
export interface ServedSchema {
  schema: GraphQLSchema;
  directives: AuthDirectives;
  /** `@cost`/`@listSize` weights and list sizes (cost.ts). */
  cost: CostModel;
  version: string;
}

/** Everything the stages use; built once by the gateway (gateway.ts). */
export interface PipelineDeps {
  config: GatewayConfig;
  apollo: ApolloServer<RequestContext>;
  authenticate: (req: IncomingMessage) => Promise<Identity>;
  consumeQuota: ReturnType<typeof createQuotas>;
  limits: ReturnType<typeof createLimits>;
  /** Parse, validation and authorization, cached per document (operation-cache.ts). */
  operations: ReturnType<typeof createOperationCache>;
  resolveDocument: ReturnType<typeof createDocumentResolver>;
  /** The schema, auth and cost directives served (they change on supergraph reload). */
  current: () => ServedSchema | undefined;
  /** Whole answers of queries (off: undefined). */
  responseCache?: ResponseCache;
  /** Counts an answer served from the response cache in the request metrics. */
  observeCachedAnswer?: (
    operationName: string | undefined,
    type: string,
    seconds: number,
    authenticated: boolean,
  ) => void;
  sensitiveTypes: ReadonlySet<string>;
  /** Request-body bytes read at once, all requests together (body-budget.ts); unset: no bound. */
  bodies?: BodyBudget;
  /** Claims a mutation's Idempotency-Key for its mutation fields (key-claims.ts); unset: none. */
  claimKey?: KeyClaims;
  /** Requests of one caller answered at once (../caller-slots.ts); unset: `MAX_IN_FLIGHT_PER_CALLER`'s. */
  callerSlots?: CallerSlots;
}

/**
 * An operation the gateway runs for the caller (a CSV download or an export page: a registered
 * query given as the body), with the caller's credentials, quota, limits and audit.
 */
export interface InternalRequest {
  body: Record<string, unknown>;
  /** Built from a trusted document: runs for callers restricted to trusted documents too. */
  fromTrusted?: boolean;
  /**
   * Read from the subgraphs, never from the response cache, and kept out of it (an export page:
   * a partner's copy of the villages the change feed named must hold the change).
   */
  uncached?: boolean;
  /** Bounded by slots of its own (an export page): takes none of MAX_IN_FLIGHT_PER_CALLER's. */
  ownSlots?: boolean;
}

/** One HTTP request as the request stages fill it in. */
export interface RequestState {
  readonly req: IncomingMessage;
  readonly requestId: string;
  /** Filled with what the stages learn (caller, document, result). */
  readonly audit: Partial<AuditEntry>;
  /** GET or POST (anything else is refused by the first stage); POST for an internal request. */
  readonly method: string;
  readonly internal?: InternalRequest;
  /** Called once the caller is known (whether "did you mean" hints may be shown). */
  readonly identified?: (identity: Identity) => void;
  /** Set by the credentials stage. */
  identity?: Identity;
  /** The decoded body (or GET parameters): one operation or a batch. Set by the body stage. */
  raw?: unknown;
  /** Gives back the caller's slot held while this request is answered (../caller-slots.ts). */
  releaseSlot?: () => void;
}

/** One operation (of a request or of a batch) as the operation stages fill it in. */
export interface OperationState {
  readonly req: IncomingMessage;
  readonly requestId: string;
  readonly audit: Partial<AuditEntry>;
  readonly method: string;
  readonly identity: Identity;
  /** Sent by the gateway itself: executed as JSON whatever the caller's method. */
  readonly internal: boolean;
  /** Neither answered from the response cache nor stored in it (InternalRequest.uncached). */
  readonly uncached?: boolean;
  readonly raw: unknown;
  readonly startedAt: number;
  body?: Record<string, unknown>;
  operationName?: string;
  variables?: Record<string, unknown>;
  /** The document's text and SHA-256 (document stage). */
  query?: string;
  hash?: string;
  served?: ServedSchema;
  /** Whether the caller may introspect (and see hints). */
  privileged?: boolean;
  doc?: DocumentNode;
  prepared?: PreparedOperation;
  cache?: ResponseCache;
  cacheQuery?: ResponseCacheQuery;
  cached?: Awaited<ReturnType<ResponseCache['lookup']>>;
}

/** A stage answers (ends the request), throws a rejection, or returns nothing to go on. */
export type RequestStage = (
  state: RequestState,
  deps: PipelineDeps,
) => Reply | undefined | Promise<Reply | undefined>;

export type OperationStage = (
  op: OperationState,
  deps: PipelineDeps,
) => Reply | undefined | Promise<Reply | undefined>;

/** What an earlier stage must have set; a missing one is a bug in the order of the stages. */
export function need<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`pipeline: ${name} is read before a stage sets it`);
  return value;
}
