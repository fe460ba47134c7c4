import { describe, expect, it } from 'vitest';
import { processCpuUs } from '../subgraph-ab.js';

describe('bench:subgraph-ab', () => {
  it("reads a process's CPU time from /proc, in µs, growing as it works", () => {
    const before = processCpuUs(process.pid);
    const until = Date.now() + 100;
    let spin = 0;
    while (Date.now() < until) spin++;
    expect(spin).toBeGreaterThan(0);
    const after = processCpuUs(process.pid);
    // Ticks of 10 ms: 100 ms of spinning is at least a few of them.
    expect(after - before).toBeGreaterThanOrEqual(50_000);
    expect(after - before).toBeLessThan(10_000_000);
  });
});
