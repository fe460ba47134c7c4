import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { FetchObserver, FetchOutcome } from './metrics.js';
import { injectTraceContext } from './tracing.js';

export interface GatewayContext {
  requestId: string;
}

/**
 * Fetches from one subgraph. Passes the request id on, bounds each fetch by a timeout, and turns
 * transport failures (refused, reset, timed out, non-GraphQL answers) into SUBGRAPH_UNAVAILABLE
 * without the subgraph's address.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    timeoutMs: number,
    private readonly log: Logger,
    private readonly observeFetch?: FetchObserver,
  ) {
    super({
      url,
      // Node's own fetch (undici: pooled keep-alive connections), bounded per fetch.
      fetcher: ((input: string, init: RequestInit) =>
        fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as never,
    });
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const requestId = 'context' in options ? options.context?.requestId : undefined;
    if (requestId) options.request.http?.headers.set('x-request-id', requestId);
    // Observability: continue the trace (the active span is @apollo/gateway's fetch span).
    if (options.request.http) injectTraceContext(options.request.http.headers);
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    // Observability: fetch count, latency and errors per subgraph.
    const done = this.observeFetch?.(this.subgraph);
    let outcome: FetchOutcome = 'unavailable';
    try {
      const response = await super.process(options);
      outcome = response.errors?.length ? 'graphql_error' : 'success';
      return response;
    } catch (err) {
      const requestId = 'context' in options ? options.context?.requestId : undefined;
      this.log.warn({ err, subgraph: this.subgraph, requestId }, 'subgraph fetch failed');
      throw new GraphQLError('A part of the graph is unavailable right now.', {
        extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
      });
    } finally {
      done?.(outcome);
    }
  }
}
