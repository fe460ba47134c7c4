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
import {
  buildSchema,
  execute,
  getVariableValues,
  isAbstractType,
  type DocumentNode,
} from 'graphql';
import { propagatedAnswer } from './null-propagation.js';
import type { GatewayContext } from '../context.js';
import { CanonicalForms } from './canonical-forms.js';
import { runFilled } from './empty-selections.js';
import {
  FallbackPlanner,
  PLAN_TIMEOUT_MS,
  planningTimeoutAnswer,
  PlanTimeoutError,
  WAIT_TIMEOUTS,
} from './fallback-planner.js';
import { PlannerAdmission } from './planner-admission.js';
import { type Executor, type Fallback, FALLBACK_RETRY_MS, planInWorker } from './fallback.js';
import { executePlanned, type Planned } from './fallback.js';
import { executablePlan } from './partial-representations.js';
import { DEFAULT_PLAN_CACHE_BYTES, PlanStore } from './plan-store.js';
import { internalError } from './errors.js';
import type { EngineOptions } from './options.js';
import { emptyRoot, introspectionOf } from './operation-shape.js';
import { SubgraphFetcher, type FetchContext, type PlannedFetch } from './subgraph-fetch.js';
import { subgraphsOf, supergraphFromFile } from './supergraph.js';

type Handler = Awaited<ReturnType<typeof unifiedGraphHandler>>;

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
export class HiveRouterEngine implements GatewayInterface {
  private readonly listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  private handler: Handler | undefined;
  private cleanup: (() => Promise<void>) | undefined;
  private generation = 0;
  private sdl = '';
  private sources = new Map<string, GraphQLDataSource<GatewayContext>>();
  /** Operations as the runtime is given them (canonical-forms.ts). */
  private readonly canonicalForms: CanonicalForms;
  private readonly fetcher = new SubgraphFetcher();
  /** Whether fragments can be inlined: the API schema has no interface or union. */
  private flatten = true;
  /** Documents the Rust planner could not plan. */
  private readonly fallbackDocuments = new WeakSet<DocumentNode>();
  /** One operation per caller in the fallback planner at once, and a pause after a timeout. */
  private readonly admission: PlannerAdmission;
  private fallback: Fallback | undefined;

  constructor(private readonly opts: EngineOptions) {
    this.admission = new PlannerAdmission(WAIT_TIMEOUTS * (opts.planTimeoutMs ?? PLAN_TIMEOUT_MS));
    this.canonicalForms = new CanonicalForms(opts.cacheBytes);
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
        this.fetcher.fetch(sources, subgraph, request as PlannedFetch),
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
    const document = this.canonicalForms.formOf(request, coerced.coerced ?? {}, this.flatten);
    // Introspection is answered from the API schema, as @apollo/gateway answers it (the runtime
    // would list federation's directives, and answer a mixed operation's other root fields null).
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
      if (request.operation.operation === 'mutation' && context.fetches > 0) {
        this.opts.logger.error({ err }, 'the Rust runtime failed during a mutation');
        return { data: null, errors: [internalError()] };
      }
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
    // A null in a non-null position comes with an error, or from an entity a subgraph answered
    // null without one (subgraph-fetch.ts, then given one): it nulls its nearest nullable parent.
    if (result.errors?.length || context.nullEntities) {
      const { schema, document: asked, operationName } = request;
      return propagatedAnswer(schema, asked, operationName, coerced.coerced ?? {}, result);
    }
    return result;
  }

  /**
   * Builds @apollo/gateway's planner over the current supergraph (some 300 ms of synchronous
   * work) and starts its worker (0.5-1.3 s on 2 loaded cores, some 40 MB of RSS; started by the
   * first operation needing it, a loaded machine's first fallback operation got PLANNING_TIMEOUT):
   * at load, before the gateway serves, not in the middle of traffic.
   */
  private prepareFallback(): Fallback {
    const sdl = this.sdl;
    const plans = new PlanStore(this.opts.planCacheBytes ?? DEFAULT_PLAN_CACHE_BYTES, (plan) =>
      executablePlan(plan, sdl),
    );
    const gateway = new ApolloGateway({
      supergraphSdl: sdl,
      logger: this.opts.logger,
      queryPlannerConfig: { cache: plans },
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
    void planner.prepare();
    const fallback: Fallback = { generation: this.generation, gateway, executor, planner, plans };
    executor.catch((err: unknown) => {
      // Kept, answering errors, until FALLBACK_RETRY_MS: a build is not repeated per request.
      this.opts.logger.error({ err }, 'the fallback query planner could not load');
      fallback.retryAt = Date.now() + FALLBACK_RETRY_MS;
      void planner.close();
    });
    // The operations the old planner was given are still planned; new ones go to the new one.
    this.fallback?.planner.retire();
    this.fallback = fallback;
    return fallback;
  }

  /** Plans and executes with @apollo/gateway (see the class comment). */
  private async executeFallback(
    request: GatewayGraphQLRequestContext<GatewayContext>,
    first: boolean,
  ): Promise<GatewayExecutionResult> {
    await this.currentFallback().executor.catch(() => undefined); // answered in runFallback
    this.opts.onPlannerFallback?.(first);
    return this.runFallback(request);
  }

  /** Runs `request` with @apollo/gateway, planned in the worker (empty-selections.ts). */
  private runFallback(
    original: GatewayGraphQLRequestContext<GatewayContext>,
  ): Promise<GatewayExecutionResult> {
    return runFilled(original, async (request) => {
      const fallback = this.currentFallback();
      let executor: Executor;
      let planned: Planned;
      try {
        executor = await fallback.executor;
        // Planned in the worker, so that @apollo/gateway's executor finds the plan made.
        planned = await planInWorker(fallback.plans, fallback.planner, request, this.admission);
      } catch (err) {
        if (err instanceof PlanTimeoutError) return planningTimeoutAnswer(err);
        // Not the caller's fault, and nothing was fetched: an error, never an HTTP 500.
        this.opts.logger.error({ err }, "@apollo/gateway's planner failed");
        return { data: null, errors: [internalError()] };
      }
      return executePlanned(executor, request, planned, this.opts.logger);
    });
  }

  private currentFallback(): Fallback {
    const fallback = this.fallback;
    const current =
      fallback?.generation === this.generation &&
      (fallback.retryAt === undefined || Date.now() < fallback.retryAt);
    return current ? fallback : this.prepareFallback();
  }
}
