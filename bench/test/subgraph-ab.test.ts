import { describe, expect, it } from 'vitest';
import { processCpuUs } from '../subgraph-ab.js';

describe('bench:subgraph-ab', () => {
  it("reads a process's CPU time from /proc in µs, as the process counts its own", () => {
    const fromProc = processCpuUs(process.pid);
    const own = process.cpuUsage();
    // Spins until this process has used 200 ms of CPU, however loaded the machine is.
    let used = 0;
    while (used < 200_000) {
      const u = process.cpuUsage(own);
      used = u.user + u.system;
    }
    // /proc counts in ticks of 10 ms: a tick or two either way.
    expect(processCpuUs(process.pid) - fromProc).toBeGreaterThan(used - 30_000);
    expect(processCpuUs(process.pid) - fromProc).toBeLessThan(used + 30_000);
  });
});
