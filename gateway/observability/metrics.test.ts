import { createRequire } from 'node:module';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGatewayMetrics } from './metrics.js';

// The module object prom-client calls (a CommonJS require of the built-in).
const perfHooks = createRequire(import.meta.url)(
  'node:perf_hooks',
) as typeof import('node:perf_hooks');

afterEach(() => vi.restoreAllMocks());

/** What `serve` writes. */
async function served(metrics: ReturnType<typeof createGatewayMetrics>): Promise<string> {
  let text = '';
  const res = { writeHead: () => res, end: (t: string) => (text = t) };
  await metrics.serve(res as unknown as ServerResponse);
  return text;
}

describe("the gateway's process metrics", () => {
  it('are collected once per process, however many gateways it builds', async () => {
    const monitors = vi.spyOn(perfHooks, 'monitorEventLoopDelay');
    const all = [1, 2, 3].map(() => createGatewayMetrics(['places']));
    // None if a gateway was built in this process before; never one per gateway.
    expect(monitors.mock.calls.length).toBeLessThanOrEqual(1);
    for (const metrics of all) {
      const text = await served(metrics);
      expect(text.match(/^process_cpu_user_seconds_total \d/gm)).toHaveLength(1);
      expect(text.match(/^nodejs_eventloop_lag_seconds \d/gm)).toHaveLength(1);
      expect(text).toMatch(/^# TYPE gateway_graphql_requests_total counter$/m);
    }
  });
});
