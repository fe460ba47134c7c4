import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectTraceContext, traceRequests } from './tracing.js';

// The default propagators, as startTracing registers them: trace context and baggage.
const provider = new NodeTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
});
let server: Server;
let url: string;

beforeAll(async () => {
  provider.register();
  // Answers the headers the gateway would put on a subgraph fetch made for this request.
  server = createServer(
    traceRequests((_req, res) => {
      const sent = new Map<string, string>();
      injectTraceContext(sent);
      res.end(JSON.stringify(Object.fromEntries(sent)));
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await provider.shutdown();
  // register() also installed a context manager and a propagator, which shutdown() keeps.
  trace.disable();
  context.disable();
  propagation.disable();
});

describe('trace headers of a caller', () => {
  it("continues the caller's traceparent on subgraph fetches, without its baggage", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetch(url, {
      headers: {
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        baggage: `user.id=admin,internal.role=${'x'.repeat(1000)}`,
      },
    });
    const sent = (await res.json()) as Record<string, string>;
    expect(sent.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(sent.baggage).toBeUndefined();
  });
});
