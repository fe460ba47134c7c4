import { createRequire } from 'node:module';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSubgraphMetrics } from './metrics.js';

// The module object prom-client calls (a CommonJS require of the built-in).
const perfHooks = createRequire(import.meta.url)(
  'node:perf_hooks',
) as typeof import('node:perf_hooks');

afterEach(() => vi.restoreAllMocks());

/** What `serve` writes. */
async function served(metrics: ReturnType<typeof createSubgraphMetrics>): Promise<string> {
  let text = '';
  const res = { writeHead: () => res, end: (t: string) => (text = t) };
  await metrics.serve(res as unknown as ServerResponse);
  return text;
}

describe("a subgraph's process metrics", () => {
  it('are collected once per process and subgraph, however many servers it builds', async () => {
    const monitors = vi.spyOn(perfHooks, 'monitorEventLoopDelay');
    const all = [1, 2, 3].map(() => createSubgraphMetrics('metrics-probe'));
    expect(monitors.mock.calls.length).toBeLessThanOrEqual(1);
    for (const metrics of all) {
      const text = await served(metrics);
      const rss = text.match(/^process_resident_memory_bytes\{subgraph="metrics-probe"\} \d/gm);
      expect(rss).toHaveLength(1);
      expect(text).toMatch(/^# TYPE subgraph_graphql_requests_total counter$/m);
    }
  });
});
