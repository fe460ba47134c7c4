import { describe, expect, it, vi } from 'vitest';
import { startFaultRig } from './support/fault-rig.js';
import { startGatewayProcess } from './support/gateway-process.js';
import { bootStack } from './support/stack.js';

/**
 * A test file's harness that fails halfway through starting (a timeout on a loaded machine, a
 * bad setting) hands the file nothing to close, so it closes what it had started itself: the
 * files after it in the worker (isolate: false) would otherwise share the process, CPU and
 * ports with servers and child processes nobody stops.
 */
const count = (kind: string) => process.getActiveResourcesInfo().filter((r) => r === kind).length;
// A closed handle leaves the list once libuv has run its close callback, a turn or so later.
const settled = { timeout: 5_000 };

describe('a harness that fails to start leaves nothing running', () => {
  it('bootStack: the subgraphs it booted before the gateway failed are closed', async () => {
    const servers = count('TCPServerWrap');
    await expect(bootStack({ scopes: [], env: { PORT: 'not a port' } })).rejects.toThrow(/PORT/);
    await vi.waitFor(() => expect(count('TCPServerWrap')).toBe(servers), settled);
  });

  it('startFaultRig: the topology it started before a gateway failed is stopped', async () => {
    const processes = count('ProcessWrap');
    await expect(
      startFaultRig({ name: 'failed_boot', gatewayEnv: { PORT: 'not a port' } }),
    ).rejects.toThrow(/PORT/);
    await vi.waitFor(() => expect(count('ProcessWrap')).toBe(processes), settled);
  }, 300_000);

  it('startGatewayProcess: a process not answering /healthz in time is killed', async () => {
    const processes = count('ProcessWrap');
    const url = 'http://127.0.0.1:9/graphql';
    const urls = { places: url, culture: url, healthcare: url, commerce: url };
    // Node runs the `-e` script, which never listens, and takes main.js for an argument.
    const idle = ['-e', 'setInterval(() => {}, 1000)'];
    await expect(startGatewayProcess(urls, '/nonexistent', 1000, {}, idle, 2_000)).rejects.toThrow(
      /did not start/,
    );
    await vi.waitFor(() => expect(count('ProcessWrap')).toBe(processes), settled);
  });
});
