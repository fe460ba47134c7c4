import {
  ApolloGateway,
  type GraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import { Supergraph } from '@apollo/federation-internals';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewayLoadResult,
  GatewaySchemaLoadOrUpdateCallback,
} from '@apollo/server-gateway-interface';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  buildSchema,
  execute,
  getDirectiveValues,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  GraphQLError,
  isAbstractType,
  isNonNullType,
  Kind,
  print,
  type SelectionNode,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';
import type { Logger } from 'pino';
import type { GatewayContext } from './context.js';
import { Lru } from './lru.js';
import { documentBytes } from './document-bytes.js';
import { canonicalOperation, conditionVariables } from './merge-fields.js';
import {
  type Executor,
  type Fallback,
  FallbackPlanner,
  PLAN_TIMEOUT_MS,
  PLANNING_TIMEOUT,
  PlanTimeoutError,
  planInWorker,
} from './fallback-planner.js';

const CANONICAL_FORMS = 16;
/** What a cached operation form may hold in all (EngineOptions.cacheBytes), by default. */
const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;
/** A field of a form and its share of the runtime's plan, roughly, in bytes. */
const BYTES_PER_FIELD = 512;
import { subgraphsOf, supergraphFromFile } from './supergraph.js';

/**
 * The query planner and executor behind Apollo Server:
 * - `apollo`: @apollo/gateway (its JavaScript planner and executor);
 * - `hive-router`: the Rust query planner and plan executor of `@graphql-hive/router-runtime`
 *   (the engine Hive Gateway runs with `--hive-router-runtime`), measured faster on this graph
 *   (bench/results.md).
 * Both run the same supergraph file, the same API schema (built by @apollo/federation-internals,
 * as @apollo/gateway builds it), the same request pipeline in front and the same data sources
 * behind (pooling, retries, breaker, signed identity); test/engines.test.ts checks that they
 * answer alike.
 */
export type EngineKind = 'apollo' | 'hive-router';

export interface EngineOptions {
  supergraphPath: string;
  watch: boolean;
  logger: Logger;
  /** The data source of a subgraph; called again for every subgraph when the supergraph changes. */
  buildSource: (subgraph: { name: string; url: string }) => GraphQLDataSource<GatewayContext>;
  /**
   * `hive-router` only: an operation the Rust planner could not plan was answered with
   * @apollo/gateway's planner; `first` is true once per document.
   */
  onPlannerFallback?: (first: boolean) => void;
  /** `hive-router` only: bytes the operations' merged forms may hold (DOCUMENT_CACHE_MB). */
  cacheBytes?: number;
  /**
   * `hive-router` only: how long @apollo/gateway's planner, in its worker, may plan one operation
   * the Rust planner handed over (PLAN_TIMEOUT_MS); longer, the operation is answered
   * PLANNING_TIMEOUT.
   */
  planTimeoutMs?: number;
}

export function createEngine(kind: EngineKind, opts: EngineOptions): GatewayInterface {
  if (kind === 'hive-router') return new HiveRouterEngine(opts);
  return new ApolloGateway({
    supergraphSdl: supergraphFromFile(opts.supergraphPath, opts.watch, opts.logger),
    logger: opts.logger,
    buildService: ({ name, url }) => opts.buildSource({ name, url: url! }),
  });
}

type IncomingOperation = Extract<
  GraphQLDataSourceProcessOptions<GatewayContext>,
  { incomingRequestContext: unknown }
>;
type Handler = Awaited<ReturnType<typeof unifiedGraphHandler>>;

/** What the executor hands each subgraph fetch: our context and Apollo's request context. */
interface FetchContext {
  gateway: GatewayContext;
  request: GatewayGraphQLRequestContext<GatewayContext>;
  /** Subgraph fetches sent so far for this request. */
  fetches: number;
}

const tracer = trace.getTracer('gateway.engine');

/**
 * Apollo Server's gateway interface over @graphql-hive/router-runtime. Plans are cached by the
 * runtime per parsed document (Apollo Server hands the same document object for the same text);
 * subgraph operations are printed once per planned fetch.
 *
 * Planning never fails a valid operation because of one planner: when the runtime throws
 * instead of answering (its planner cannot plan some valid documents: "Expected a single
 * parent, but the FetchStep … has many"), the operation is planned and executed by
 * @apollo/gateway over the same supergraph and the same data sources. The document is then
 * remembered (by identity, so it lives as long as Apollo Server's document cache holds it) and
 * goes straight to that planner; each such answer is counted, and logged once per document. A
 * mutation is handed over only when no fetch was sent, so a write is never sent twice.
 */
class HiveRouterEngine implements GatewayInterface {
  private readonly listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  private handler: Handler | undefined;
  private readonly texts = new WeakMap<DocumentNode, { query: string; operationName?: string }>();
  private readonly fetchIndexes = new WeakMap<DocumentNode, number>();
  private cleanup: (() => Promise<void>) | undefined;
  private generation = 0;
  private sdl = '';
  private sources = new Map<string, GraphQLDataSource<GatewayContext>>();
  /**
   * Operations as the runtime is given them (merge-fields.ts), per document and per value of
   * the variables its `@skip`/`@include` read (at most CANONICAL_FORMS kept per document, all
   * of them within `cacheBytes`; an evicted document's forms are built again when it returns).
   */
  private readonly canonicalForms: Lru<
    DocumentNode,
    { conditions: string[]; forms: Map<string, DocumentNode> }
  >;
  /** Whether fragments can be inlined: the API schema has no interface or union. */
  private flatten = true;
  /** Documents the Rust planner could not plan. */
  private readonly fallbackDocuments = new WeakSet<DocumentNode>();
  private fallback: Fallback | undefined;

  constructor(private readonly opts: EngineOptions) {
    // Weighed by what they hold, not by the text: a short document that spreads fragments
    // expands to many fields (up to MAX_EXPANDED_SELECTIONS), and each form keeps the
    // runtime's plan for it alive.
    // An entry keeps its document (and the text it was parsed from) alive: weighed as the
    // document store weighs it, plus its forms as they are added.
    this.canonicalForms = new Lru(
      Number.MAX_SAFE_INTEGER,
      opts.cacheBytes ?? DEFAULT_CACHE_BYTES,
      (_entry, document) => documentBytes(document),
    );
  }

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback) {
    this.listeners.add(callback);
    return () => void this.listeners.delete(callback);
  }

  async load(): Promise<GatewayLoadResult> {
    const hook = supergraphFromFile(this.opts.supergraphPath, this.opts.watch, this.opts.logger);
    const { supergraphSdl, cleanup } = await hook({
      // Called by the file watcher with a changed supergraph: a file that does not build throws
      // here (the watcher logs it and keeps the current schema).
      update: (sdl: string) => {
        const prepared = this.prepare(sdl);
        void this.activate(sdl, prepared).catch((err: unknown) =>
          this.opts.logger.error({ err }, 'new supergraph rejected; keeping the current schema'),
        );
      },
      healthCheck: async () => {},
      getDataSource: () => {
        throw new Error('not used');
      },
    });
    this.cleanup = cleanup;
    await this.activate(supergraphSdl, this.prepare(supergraphSdl));
    return {
      executor: (request) => this.execute(request as GatewayGraphQLRequestContext<GatewayContext>),
    };
  }

  async stop(): Promise<void> {
    await this.cleanup?.();
    this.handler = undefined;
    await this.fallback?.planner.close();
    this.fallback = undefined;
  }

  /** Validates a supergraph the way @apollo/gateway does and builds its API schema (sync). */
  private prepare(sdl: string) {
    const apiSchema = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
    return {
      apiSchema,
      unifiedGraph: buildSchema(sdl, { assumeValid: true, assumeValidSDL: true }),
    };
  }

  private async activate(sdl: string, prepared: ReturnType<HiveRouterEngine['prepare']>) {
    const generation = ++this.generation;
    // Built once the new supergraph is accepted: building a source replaces (and closes) the
    // current one of that subgraph, which must keep serving if the new file is refused.
    let sources = new Map<string, GraphQLDataSource<GatewayContext>>();
    const handler = await unifiedGraphHandler({
      unifiedGraph: prepared.unifiedGraph,
      getUnifiedGraphSDL: () => sdl,
      onSubgraphExecute: (subgraph, request) =>
        this.fetch(sources, subgraph, request as Parameters<HiveRouterEngine['fetch']>[2]),
    }).catch((err: unknown) => {
      // The planner is a native module, built for Linux (glibc) and macOS on x64 and arm64.
      if ((err as { code?: string }).code === 'ERR_DLOPEN_FAILED' || /\.node\b/.test(String(err)))
        throw new Error(
          `GATEWAY_ENGINE=hive-router: the Rust query planner cannot load on ${process.platform}-${process.arch} (${(err as Error).message}); set GATEWAY_ENGINE=apollo`,
        );
      throw err;
    });
    if (generation !== this.generation) return; // a newer file won the race
    sources = new Map(subgraphsOf(sdl).map((s) => [s.name, this.opts.buildSource(s)] as const));
    this.sources = sources;
    this.sdl = sdl;
    this.prepareFallback();
    this.flatten = !Object.values(prepared.apiSchema.getTypeMap()).some(
      (t) => isAbstractType(t) && !t.name.startsWith('__'),
    );
    this.handler = handler;
    for (const listener of this.listeners)
      listener({ apiSchema: prepared.apiSchema, coreSupergraphSdl: sdl });
  }

  private async execute(
    request: GatewayGraphQLRequestContext<GatewayContext>,
  ): Promise<GatewayExecutionResult> {
    const handler = this.handler;
    if (!handler?.executor) throw new Error('The supergraph is not loaded.');
    // As @apollo/gateway: variables are coerced against the API schema first; a bad value is
    // the caller's error (Apollo Server answers 400 BAD_USER_INPUT), not the engine's.
    const variables = request.request.variables ?? {};
    const coerced = getVariableValues(
      request.schema,
      request.operation.variableDefinitions ?? [],
      variables,
    );
    if (coerced.errors) return { errors: coerced.errors };
    if (this.fallbackDocuments.has(request.document)) return this.executeFallback(request, false);
    const context: FetchContext = { gateway: request.context, request, fetches: 0 };
    const document = this.canonical(request, coerced.coerced ?? {});
    // Introspection is answered from the API schema, as @apollo/gateway answers it (the runtime
    // would answer it from its own schema, with federation's directives, and would answer the
    // other root fields of a mixed operation null).
    const introspection = introspectionOf(document);
    if (introspection === 'only') {
      return (await execute({
        schema: request.schema,
        document,
        operationName: request.operationName ?? undefined,
        variableValues: coerced.coerced,
      })) as GatewayExecutionResult;
    }
    if (introspection === 'mixed') return this.runFallback(request);
    let result: GatewayExecutionResult;
    try {
      result = (await handler.executor({
        document,
        variables,
        operationName: request.operationName ?? undefined,
        context,
      })) as GatewayExecutionResult;
    } catch (err) {
      // Never send a write twice: a mutation that reached a subgraph is not handed over.
      if (request.operation.operation === 'mutation' && context.fetches > 0) throw err;
      this.fallbackDocuments.add(request.document);
      this.opts.logger.warn(
        { err: (err as Error).message, operationName: request.operationName },
        "the Rust query planner could not answer this operation; @apollo/gateway's planner answers it",
      );
      return this.executeFallback(request, true);
    }
    // An executed operation always has `data` (the engine leaves it out when no fetch returned
    // any): each nullable root field null, or null as a whole when a non-null one failed.
    if (result.data === undefined) {
      return { ...result, data: emptyRoot(request, coerced.coerced ?? {}) };
    }
    return result;
  }

  private canonical(
    request: GatewayGraphQLRequestContext<GatewayContext>,
    variables: Record<string, unknown>,
  ): DocumentNode {
    let entry = this.canonicalForms.get(request.document);
    if (!entry) {
      entry = { conditions: conditionVariables(request.document), forms: new Map() };
      this.canonicalForms.set(request.document, entry);
    }
    const key = `${request.operationName ?? ''}|${entry.conditions
      .map((n) => JSON.stringify(variables[n] ?? null))
      .join(',')}`;
    let document = entry.forms.get(key);
    if (!document) {
      document = canonicalOperation(
        request.document,
        request.operationName,
        variables,
        this.flatten,
      );
      // Beyond the bound a form is rebuilt per request (and planned again): correct, slower.
      if (entry.forms.size < CANONICAL_FORMS) {
        entry.forms.set(key, document);
        this.canonicalForms.grow(request.document, fieldCount(document) * BYTES_PER_FIELD);
      }
    }
    return document;
  }

  /**
   * Builds @apollo/gateway's planner over the current supergraph (some 300 ms of synchronous
   * work): at load, before the gateway serves, not in the middle of traffic.
   */
  private prepareFallback(): Fallback {
    const gateway = new ApolloGateway({
      supergraphSdl: this.sdl,
      logger: this.opts.logger,
      // The sources the Rust runtime uses (pooling, breaker, identity), looked up per fetch.
      buildService: ({ name }): GraphQLDataSource<GatewayContext> => ({
        process: (options: GraphQLDataSourceProcessOptions<GatewayContext>) => {
          const source = this.sources.get(name);
          if (!source) throw new Error(`Unknown subgraph ${name}`);
          return source.process(options);
        },
      }),
    });
    const executor = gateway.load().then(({ executor }) => executor as Executor);
    const planner = new FallbackPlanner(this.sdl, this.opts.planTimeoutMs ?? PLAN_TIMEOUT_MS);
    const fallback: Fallback = { generation: this.generation, gateway, executor, planner };
    executor.catch((err: unknown) => {
      this.opts.logger.error({ err }, 'the fallback query planner could not load');
      if (this.fallback === fallback) this.fallback = undefined;
    });
    void this.fallback?.planner.close();
    this.fallback = fallback;
    return fallback;
  }

  /** Plans and executes with @apollo/gateway (see the class comment). */
  private async executeFallback(
    request: GatewayGraphQLRequestContext<GatewayContext>,
    first: boolean,
  ): Promise<GatewayExecutionResult> {
    await this.currentFallback().executor;
    this.opts.onPlannerFallback?.(first);
    return this.runFallback(request);
  }

  /** Runs `request` with @apollo/gateway, planned in the worker. */
  private async runFallback(
    request: GatewayGraphQLRequestContext<GatewayContext>,
  ): Promise<GatewayExecutionResult> {
    const fallback = this.currentFallback();
    const executor = await fallback.executor;
    // Planned in the worker, so that @apollo/gateway's executor finds the plan made.
    try {
      await planInWorker(fallback.gateway, fallback.planner, request);
    } catch (err) {
      if (!(err instanceof PlanTimeoutError)) throw err;
      return {
        errors: [new GraphQLError(err.message, { extensions: { code: PLANNING_TIMEOUT } })],
      };
    }
    return executor(request);
  }

  private currentFallback(): Fallback {
    return this.fallback?.generation === this.generation ? this.fallback : this.prepareFallback();
  }

  private async fetch(
    sources: Map<string, GraphQLDataSource<GatewayContext>>,
    subgraph: string,
    request: {
      document: DocumentNode;
      variables?: Record<string, unknown>;
      operationName?: string;
      context?: FetchContext;
    },
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
    // Observability: one span per subgraph fetch, named as @apollo/gateway names its own
    // (a no-op without tracing).
    return tracer.startActiveSpan(
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

/**
 * The text of a planned subgraph operation, named as @apollo/gateway names them
 * (`<Operation>__<subgraph>__<n>`, n counting the fetches of the incoming document) so that
 * subgraph metrics, logs and traces tell operations apart. Printed once per planned fetch.
 */
function nameFetch(
  fetch: DocumentNode,
  incoming: GatewayGraphQLRequestContext,
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

/** The fields of a document (its weight in the forms cache). */
function fieldCount(document: DocumentNode): number {
  let n = 0;
  visit(document, { Field: () => void (n += 1) });
  return n;
}

/**
 * Whether an operation (in canonical form: fragments inlined) selects introspection root fields
 * (`__schema`, `__type`): none, only those (and `__typename`), or mixed with others.
 */
function introspectionOf(document: DocumentNode): 'none' | 'only' | 'mixed' {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 'none';
  let introspection = false;
  let other = false;
  for (const s of operation.selectionSet.selections) {
    if (s.kind !== Kind.FIELD) other = true;
    else if (s.name.value === '__schema' || s.name.value === '__type') introspection = true;
    else if (s.name.value !== '__typename') other = true;
  }
  return introspection ? (other ? 'mixed' : 'only') : 'none';
}

/**
 * `data` for an operation none of whose root fields was fetched: as GraphQL execution nulls it.
 * Root fields left out by `@skip`/`@include` are not in it.
 */
function emptyRoot(
  request: GatewayGraphQLRequestContext,
  variables: Record<string, unknown>,
): Record<string, null> | null {
  const root = request.schema.getRootType(request.operation.operation);
  if (!root) return null;
  const data: Record<string, null> = {};
  const included = (node: SelectionNode) =>
    getDirectiveValues(GraphQLSkipDirective, node, variables)?.if !== true &&
    getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
  const visit = (selections: readonly SelectionNode[]): boolean => {
    for (const s of selections) {
      if (!included(s)) continue;
      if (s.kind === Kind.FIELD) {
        if (s.name.value === '__typename') return false;
        const field = root.getFields()[s.name.value];
        if (!field || isNonNullType(field.type)) return false;
        data[s.alias?.value ?? s.name.value] = null;
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (!visit(s.selectionSet.selections)) return false;
      } else {
        const fragment = request.document.definitions.find(
          (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value,
        );
        if (fragment?.kind !== Kind.FRAGMENT_DEFINITION) return false;
        if (!visit(fragment.selectionSet.selections)) return false;
      }
    }
    return true;
  };
  return visit(request.operation.selectionSet.selections) ? data : null;
}

/**
 * A subgraph's error as @apollo/gateway passes it on: its message, path and extensions, the
 * subgraph's name (removed from answers by errors.ts), DOWNSTREAM_SERVICE_ERROR without a code.
 */
function downstreamError(error: GraphQLFormattedError, subgraph: string): GraphQLError {
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
