import type { GraphQLDataSource } from '@apollo/gateway';
import type { Logger } from 'pino';
import type { GatewayContext } from '../context.js';

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
  /** Bytes @apollo/gateway's plans may hold, as engine or fallback (PLAN_CACHE_MB). */
  planCacheBytes?: number;
}
