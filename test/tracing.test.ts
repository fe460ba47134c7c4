import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootStack, type Stack } from './support/stack.js';

// One provider for this test file's process: the gateway and the subgraphs all run in it, so
// spans from both sides of each HTTP hop land in the same exporter.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let stack: Stack;

beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124'] });
  // Registered after loading data, so the exporter holds only the spans of the requests below.
  provider.register();
});
afterAll(async () => {
  await stack?.close();
  await provider.shutdown();
  // register() also installed a context manager and a propagator, which shutdown() keeps.
  trace.disable();
  context.disable();
  propagation.disable();
});

const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

async function spansOfTrace(requestId: string): Promise<ReadableSpan[]> {
  // Server spans end when the response is closed, just after the client has read it.
  for (let i = 0; i < 50; i++) {
    const root = exporter
      .getFinishedSpans()
      .find(
        (s) =>
          s.instrumentationScope.name === 'gateway' && s.attributes['request.id'] === requestId,
      );
    if (root) {
      const traceId = root.spanContext().traceId;
      return exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no gateway span for the request');
}

describe('OpenTelemetry traces', () => {
  it('links the gateway request, each subgraph fetch and the SQL statements in one trace', async () => {
    const res = await stack.query(
      `query TracedVillage { village(code: "331124001201") { name culture { auditorium { name } } } }`,
      undefined,
      { 'x-request-id': 'trace-test-1' },
    );
    expect(res.body.errors).toBeUndefined();
    const spans = await spansOfTrace('trace-test-1');
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));

    const root = spans.find((s) => s.instrumentationScope.name === 'gateway')!;
    expect(root.kind).toBe(SpanKind.SERVER);
    expect(parentOf(root)).toBeUndefined();

    // @apollo/gateway's fetch spans, one per subgraph fetch, under the request span.
    const fetches = spans.filter((s) => s.name === 'gateway.fetch');
    expect(fetches.length).toBe(2);
    const ancestors = (s: ReadableSpan): ReadableSpan[] => {
      const out: ReadableSpan[] = [];
      for (let p = byId.get(parentOf(s) ?? ''); p; p = byId.get(parentOf(p) ?? '')) out.push(p);
      return out;
    };
    for (const f of fetches) expect(ancestors(f)).toContain(root);

    // Each subgraph's server span is a child of a gateway fetch span (traceparent over HTTP).
    const subgraphSpans = spans.filter(
      (s) => s.instrumentationScope.name === 'subgraph' && s.kind === SpanKind.SERVER,
    );
    expect(subgraphSpans.map((s) => s.attributes['service.subgraph']).sort()).toEqual([
      'culture',
      'places',
    ]);
    for (const s of subgraphSpans) {
      expect(fetches.map((f) => f.spanContext().spanId)).toContain(parentOf(s));
      expect(s.attributes['request.id']).toBe('trace-test-1');
    }

    // SQL statements are children of their subgraph's server span.
    const sql = spans.filter((s) => s.attributes['db.system'] !== undefined);
    for (const subgraph of subgraphSpans) {
      const own = sql.filter((s) => parentOf(s) === subgraph.spanContext().spanId);
      expect(own.length).toBeGreaterThan(0);
      for (const s of own) {
        expect(s.kind).toBe(SpanKind.CLIENT);
        expect(s.name).toBe('SELECT');
        expect(String(s.attributes['db.query.text'])).toMatch(/^select /i);
      }
    }
    expect(sql.every((s) => subgraphSpans.some((p) => ancestors(s).includes(p)))).toBe(true);
  });

  it('starts a new trace per request and continues a caller-supplied traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await stack.query('{ provinces { code } }', undefined, {
      'x-request-id': 'trace-test-2',
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    });
    const spans = await spansOfTrace('trace-test-2');
    expect(spans[0].spanContext().traceId).toBe(traceId);
    expect(spans.some((s) => s.attributes['db.system'] !== undefined)).toBe(true);
  });
});
