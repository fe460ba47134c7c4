import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { DocumentNode } from 'graphql';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config.js';
import { clientErrorPaths, variablesOf } from './engine/error-paths.js';
import { formatGatewayError } from './engine/errors.js';
import type { createGatewayMetrics } from './observability/metrics.js';
import { createDocumentStore } from './operations/operation-cache.js';
import type { RequestContext } from './pipeline/types.js';

/**
 * Apollo Server over the engine, as the pipeline drives it: introspection, suggestions, CSRF,
 * APQ and batching are decided in front (pipeline/), errors are masked on the way out
 * (engine/errors.ts) with paths cut back to the client's operation (engine/error-paths.ts), and
 * the error codes of each answer are handed to the audit line.
 */
export function createApolloServer(
  engine: GatewayInterface,
  config: GatewayConfig,
  metrics: ReturnType<typeof createGatewayMetrics>,
  logger: Logger,
  validated?: (key: string) => DocumentNode | undefined,
): ApolloServer<RequestContext> {
  return new ApolloServer<RequestContext>({
    gateway: engine,
    // Introspection and suggestions are decided per caller by the pipeline
    // (pipeline/document.ts, pipeline/authorization.ts).
    introspection: true,
    hideSchemaDetailsFromClientErrors: true,
    includeStacktraceInErrorResponses: false,
    // main.ts handles SIGTERM/SIGINT (drain, then exit); Apollo's own handler would race it.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    persistedQueries: false,
    // Bounded by memory, not by its default (which weighs a 1 MB document as a few bytes).
    documentStore: createDocumentStore(config.documentCacheBytes, validated),
    allowBatchedHttpRequests: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      metrics.plugin,
      {
        async requestDidStart() {
          return {
            async willSendResponse(ctx) {
              const { response, contextValue, document, operationName } = ctx;
              if (response.body.kind !== 'single') return;
              const result = response.body.singleResult;
              // Only paths of the client's operation (error-paths.ts).
              if (result.errors) {
                result.errors = clientErrorPaths(
                  result.errors,
                  document,
                  operationName,
                  ctx.operation && variablesOf(ctx.schema, ctx.operation, ctx.request.variables),
                  result.data === null || result.data === undefined,
                );
              }
              contextValue.errorCodes = (response.body.singleResult.errors ?? []).map((e) =>
                String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
              );
            },
          };
        },
      },
    ],
    formatError: (formatted, error) => {
      const { error: out, masked } = formatGatewayError(formatted, undefined);
      if (masked) logger.error({ err: error, path: formatted.path }, 'masked error');
      return out;
    },
  });
}
