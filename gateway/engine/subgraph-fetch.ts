import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  GraphQLError,
  Kind,
  print,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';
import type { GatewayContext } from '../context.js';

type IncomingOperation = Extract<
  GraphQLDataSourceProcessOptions<GatewayContext>,
  { incomingRequestContext: unknown }
>;

/** What the executor hands each subgraph fetch: our context and Apollo's request context. */
export interface FetchContext {
  gateway: GatewayContext;
  request: GatewayGraphQLRequestContext<GatewayContext>;
  /** Subgraph fetches sent so far for this request. */
  fetches: number;
  /**
   * Set when a subgraph answered an entity null without an error (`_entities: [null]`, as a
   * subgraph answers a key it does not know): the runtime puts that null in place, non-null
   * field or not, so the answer needs null propagation although it carries no error.
   */
  nullEntities?: boolean;
}

/** A fetch the Rust runtime planned: its document, variables and our context. */
export interface PlannedFetch {
  document: DocumentNode;
  variables?: Record<string, unknown>;
  operationName?: string;
  context?: FetchContext;
}

/**
 * Asked of the registered provider at each fetch, not kept at import: a tracer taken before
 * the provider changes (tracing turned off and on again in one process, as test files do)
 * would keep answering for the old one, and its spans would go nowhere.
 */
const tracer = () => trace.getTracer('gateway.engine');

/**
 * The text of a planned subgraph operation, named as @apollo/gateway names them
 * (`<Operation>__<subgraph>__<n>`, n counting the fetches of the incoming document) so that
 * subgraph metrics, logs and traces tell operations apart.
 */
export function nameFetch(
  fetch: DocumentNode,
  incoming: Pick<GatewayGraphQLRequestContext, 'operationName' | 'document'>,
  subgraph: string,
  indexes: WeakMap<DocumentNode, number>,
): { query: string; operationName?: string } {
  const base = incoming.operationName;
  const operation = fetch.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!base || !operation || operation.name) return { query: print(fetch) };
  const n = indexes.get(incoming.document) ?? 0;
  indexes.set(incoming.document, n + 1);
  const operationName = `${base}__${subgraph.replace(/\W/g, '_')}__${n}`;
  const renamed: DocumentNode = {
    ...fetch,
    definitions: fetch.definitions.map((d) =>
      d === operation ? { ...operation, name: { kind: Kind.NAME, value: operationName } } : d,
    ),
  };
  return { query: print(renamed), operationName };
}

/**
 * A subgraph's error as @apollo/gateway passes it on: its message, path and extensions, the
 * subgraph's name (removed from answers by errors.ts), DOWNSTREAM_SERVICE_ERROR without a code.
 */
export function downstreamError(error: GraphQLFormattedError, subgraph: string): GraphQLError {
  return new GraphQLError(
    error.message || `Error while fetching subquery from service "${subgraph}"`,
    {
      path: error.path,
      extensions: {
        ...error.extensions,
        code: error.extensions?.code ?? 'DOWNSTREAM_SERVICE_ERROR',
        serviceName: subgraph,
      },
    },
  );
}

/**
 * Whether an `_entities` answer of `fetch` holds a null entity. The runtime names the field as
 * it batches (`_e0: _entities(…)`), so the keys are read from the fetch's own selections.
 */
export function holdsNullEntity(fetch: DocumentNode, data: unknown): boolean {
  if (!data || typeof data !== 'object') return false;
  const operation = fetch.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  for (const sel of operation?.selectionSet.selections ?? []) {
    if (sel.kind !== Kind.FIELD || sel.name.value !== '_entities') continue;
    const items = (data as Record<string, unknown>)[sel.alias?.value ?? '_entities'];
    if (Array.isArray(items) && items.includes(null)) return true;
  }
  return false;
}

/**
 * The runtime's subgraph fetches through our data sources (pooling, breaker, identity): each
 * planned fetch printed and named once, one span per fetch named as @apollo/gateway names its
 * own (a no-op without tracing), errors passed on as @apollo/gateway passes them.
 */
export class SubgraphFetcher {
  private readonly texts = new WeakMap<DocumentNode, { query: string; operationName?: string }>();
  private readonly fetchIndexes = new WeakMap<DocumentNode, number>();

  async fetch(
    sources: Map<string, GraphQLDataSource<GatewayContext>>,
    subgraph: string,
    request: PlannedFetch,
  ): Promise<ExecutionResult> {
    const source = sources.get(subgraph);
    const fetchContext = request.context;
    if (!source || !fetchContext) throw new Error(`Unknown subgraph ${subgraph}`);
    fetchContext.fetches += 1;
    let named = this.texts.get(request.document);
    if (named === undefined) {
      named = nameFetch(request.document, fetchContext.request, subgraph, this.fetchIndexes);
      this.texts.set(request.document, named);
    }
    const { query, operationName } = named;
    return tracer().startActiveSpan(
      'gateway.fetch',
      { kind: SpanKind.CLIENT, attributes: { 'graphql.subgraph': subgraph } },
      async (span) => {
        try {
          const result = await source.process({
            // GraphQLDataSourceRequestKind.INCOMING_OPERATION (the enum is not exported).
            kind: 'incoming operation' as IncomingOperation['kind'],
            request: { query, variables: request.variables, operationName },
            incomingRequestContext: fetchContext.request,
            context: fetchContext.gateway,
            document: request.document,
          });
          if (holdsNullEntity(request.document, result.data)) fetchContext.nullEntities = true;
          if (!result.errors?.length) return result as ExecutionResult;
          span.setStatus({ code: SpanStatusCode.ERROR });
          return {
            ...result,
            errors: result.errors.map((e) => downstreamError(e, subgraph)),
          } as ExecutionResult;
        } finally {
          span.end();
        }
      },
    );
  }
}
