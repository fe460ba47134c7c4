import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type TextMapGetter,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { z } from 'zod';

/**
 * The standard OpenTelemetry variables the gateway reads (the OTLP exporter itself also reads
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

export function tracingConfigFrom(env: {
  [K in keyof typeof tracingEnv]?: unknown;
}): TracingConfig {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  let exporter = (env.OTEL_TRACES_EXPORTER as TracingConfig['exporter'] | undefined) ?? 'none';
  if (!env.OTEL_TRACES_EXPORTER && endpoint) exporter = 'otlp';
  if (env.OTEL_SDK_DISABLED === 'true') exporter = 'none';
  return { exporter, serviceName: (env.OTEL_SERVICE_NAME as string | undefined) ?? 'gateway' };
}

/**
 * Registers the process-wide tracer provider when tracing is configured. @apollo/gateway then
 * adds its own spans (request, plan, execute, fetch) under the request span.
 */
export function startTracing(config: TracingConfig): { shutdown: () => Promise<void> } {
  if (config.exporter === 'none') return { shutdown: async () => {} };
  const exporter: SpanExporter =
    config.exporter === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  return { shutdown: () => provider.shutdown() };
}

/**
 * What the gateway reads of a caller's trace headers: `traceparent` and `tracestate`, not
 * `baggage`. The default propagators would carry a caller's baggage (up to 8 KB of names and
 * values of its choosing) into the context, and from it onto every subgraph fetch; a public
 * endpoint passes on to its internal services the trace it joins, nothing more.
 */
const callerTraceHeaders: TextMapGetter<IncomingMessage['headers']> = {
  keys: (headers) => Object.keys(headers).filter((k) => k !== 'baggage'),
  get: (headers, key) => (key.toLowerCase() === 'baggage' ? undefined : headers[key.toLowerCase()]),
};

/**
 * Wraps the HTTP handler: each `/graphql` request runs inside a SERVER span (continuing a
 * caller's `traceparent` if any, without its `baggage`); health and metrics probes are not
 * traced.
 */
export function traceRequests(handler: RequestListener): RequestListener {
  const tracer = trace.getTracer('gateway');
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/graphql') return handler(req, res);
    const parent = propagation.extract(ROOT_CONTEXT, req.headers, callerTraceHeaders);
    const method = req.method ?? 'GET';
    const span = tracer.startSpan(
      `${method} /graphql`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': method } },
      parent,
    );
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      const requestId = res.getHeader('x-request-id');
      if (typeof requestId === 'string') span.setAttribute('request.id', requestId);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), () => handler(req, res));
  };
}

/** Adds the active span's `traceparent` to a subgraph fetch's headers. */
export function injectTraceContext(headers: { set(name: string, value: string): void }): void {
  propagation.inject(context.active(), headers, {
    set: (carrier, key, value) => carrier.set(key, value),
  });
}
