import {
  context,
  propagation,
  ProxyTracerProvider,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { QueryObserver } from './database.js';

/**
 * The standard OpenTelemetry variables this process reads (the OTLP exporter itself also reads
 * the other OTEL_EXPORTER_OTLP_* ones: headers, timeout, compression).
 */
export const tracingEnv = {
  OTEL_SDK_DISABLED: unsetIfEmpty(z.enum(['true', 'false']).default('false')),
  OTEL_TRACES_EXPORTER: unsetIfEmpty(z.enum(['otlp', 'console', 'none']).optional()),
  OTEL_EXPORTER_OTLP_ENDPOINT: unsetIfEmpty(z.string().url().optional()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: unsetIfEmpty(z.string().url().optional()),
  OTEL_SERVICE_NAME: unsetIfEmpty(z.string().min(1).optional()),
};

/** `VAR=` (as compose files and .env files often write it) means unset. */
function unsetIfEmpty<T extends z.ZodType>(type: T) {
  return z.preprocess((v) => (v === '' ? undefined : v), type);
}

export interface TracingConfig {
  /** Off unless an exporter or an OTLP endpoint is configured: no outbound connection by default. */
  exporter: 'otlp' | 'console' | 'none';
  serviceName: string;
}

export function tracingConfigFrom(
  env: { [K in keyof typeof tracingEnv]?: unknown },
  defaultServiceName: string,
): TracingConfig {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  let exporter = (env.OTEL_TRACES_EXPORTER as TracingConfig['exporter'] | undefined) ?? 'none';
  if (!env.OTEL_TRACES_EXPORTER && endpoint) exporter = 'otlp';
  if (env.OTEL_SDK_DISABLED === 'true') exporter = 'none';
  return {
    exporter,
    serviceName: (env.OTEL_SERVICE_NAME as string | undefined) ?? defaultServiceName,
  };
}

/**
 * Registers the process-wide tracer provider when tracing is configured. Without it the
 * OpenTelemetry API stays a no-op and spans cost next to nothing.
 */
export function startTracing(config: TracingConfig): { shutdown: () => Promise<void> } {
  if (config.exporter === 'none') return { shutdown: async () => {} };
  // The OTLP exporter takes its endpoint, headers and timeout from the OTEL_* variables.
  const exporter: SpanExporter =
    config.exporter === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  // Also installs the AsyncLocalStorage context manager and the W3C traceparent propagator.
  provider.register();
  return { shutdown: () => provider.shutdown() };
}

/**
 * The tracer of the registered tracer provider, or undefined while none is registered (tracing
 * off, the default): the API is then a no-op, and a request or a statement skips it altogether
 * rather than extract a context, build a proxy tracer and a non-recording span, and listen for
 * the response's end, for nothing.
 */
function activeTracer(): Tracer | undefined {
  const provider = trace.getTracerProvider();
  return provider instanceof ProxyTracerProvider
    ? provider.getDelegateTracer('subgraph')
    : provider.getTracer('subgraph');
}

/**
 * Runs `fn` inside a SERVER span continuing the trace named by the request's `traceparent`
 * header (the gateway's subgraph fetch), and ends the span when the response is finished.
 */
export function withServerSpan<T>(
  req: IncomingMessage,
  res: ServerResponse,
  attributes: Record<string, string>,
  fn: () => Promise<T>,
): Promise<T> {
  const tracer = activeTracer();
  if (!tracer) return fn();
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const span = tracer.startSpan(
    `${req.method ?? 'GET'} /graphql`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method ?? 'GET', ...attributes },
    },
    parent,
  );
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  return context.with(trace.setSpan(parent, span), fn);
}

const noSpan = () => {};

/** A CLIENT span per SQL statement, child of whatever span is active (the request's). */
export function sqlSpanObserver(system: string): QueryObserver {
  return (sql) => {
    const tracer = activeTracer();
    if (!tracer) return noSpan;
    const span = tracer.startSpan(sql.trimStart().split(/\s/, 1)[0].toUpperCase() || 'SQL', {
      kind: SpanKind.CLIENT,
      // MikroORM passes the statement with placeholders, not the values.
      attributes: { 'db.system': system, 'db.query.text': sql.slice(0, 2000) },
    });
    return (error) => {
      if (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    };
  };
}
