import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../config.js';
import {
  MAX_RESTARTS,
  MIN_STALL_MS,
  RESTART_BASE_MS,
  startLiveness,
  type Liveness,
} from './liveness.js';

let liveness: Liveness | undefined;
afterEach(async () => {
  await liveness?.close();
  liveness = undefined;
});

/**
 * Asks from another process, so that this thread can be busy meanwhile: spawnSync blocks it
 * for as long as the request takes, as a long synchronous task blocks the gateway's loop.
 */
function ask(port: number, path = '/healthz'): { status: number; body: unknown; ms: number } {
  const started = Date.now();
  const out = spawnSync(
    process.execPath,
    [
      '-e',
      `fetch('http://127.0.0.1:${port}${path}').then(async (r) => console.log(r.status, await r.text()))`,
    ],
    { encoding: 'utf8', timeout: 10_000 },
  );
  const [status, ...rest] = out.stdout.trim().split(' ');
  return { status: Number(status), body: JSON.parse(rest.join(' ')), ms: Date.now() - started };
}

function busy(ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end); // the event loop held, as by a long synchronous task
}

describe('liveness listener', () => {
  it('answers while the main thread is blocked, and 503 once the block outlasts stallMs', async () => {
    // This thread is blocked for the whole request (spawnSync), and still it is answered: by the
    // listener's thread. Starting the asking process is part of the block, 1.5 s at load 12-15
    // and over 3 s at load 20-29; a listener of its own with a long stallMs leaves room for it.
    const patient = await startLiveness({ port: 0, host: '127.0.0.1', stallMs: 30_000 });
    try {
      expect(ask(patient.port)).toMatchObject({ status: 200, body: { status: 'ok' } });
    } finally {
      await patient.close();
    }
    liveness = await startLiveness({ port: 0, host: '127.0.0.1', stallMs: 3000 });
    busy(3500); // no heartbeat for 3.5 s
    const stalled = ask(liveness.port);
    expect(stalled.status).toBe(503);
    expect(stalled.body).toMatchObject({ status: 'stalled' });
    // Once the loop turns again, the beat is fresh (asked from this loop, not blocking it).
    await new Promise((r) => setTimeout(r, 600));
    expect(await probe(liveness.port)).toBe(200);
    expect(ask(liveness.port, '/metrics').status).toBe(404);
  }, 30_000);

  it('fails to start, and says so, when its port is taken', async () => {
    liveness = await startLiveness({ port: 0, host: '127.0.0.1', stallMs: 1000 });
    await expect(
      startLiveness({ port: liveness.port, host: '127.0.0.1', stallMs: 1000 }),
    ).rejects.toThrow(/liveness listener: .*EADDRINUSE/);
  });

  it('refuses a stall time shorter than a few heartbeats, which would answer 503 between beats', () => {
    expect(() => loadGatewayConfig({ LIVENESS_STALL_MS: '200' })).toThrow(/LIVENESS_STALL_MS/);
    const config = loadGatewayConfig({
      LIVENESS_STALL_MS: String(MIN_STALL_MS),
      LIVENESS_PORT: '0',
    });
    expect(config.liveness?.stallMs).toBe(MIN_STALL_MS);
  });

  it('starts a killed worker again on the same port, with a backoff, and says so meanwhile', async () => {
    const errors: string[] = [];
    liveness = await startLiveness({
      port: 0,
      host: '127.0.0.1',
      stallMs: 1500,
      onError: (err) => errors.push(err.message),
    });
    const { port } = liveness;
    expect(await probe(port)).toBe(200);
    await liveness.kill(); // the thread ends, as a crash would end it
    expect(liveness.state()).toBe('restarting');
    expect(await probe(port)).toBe('refused'); // nothing listens until the restart
    expect(await until(() => probe(port), 200, 5_000)).toBe(200);
    expect(liveness.state()).toBe('up');
    expect(liveness.restarts()).toBe(1);
    expect(errors).toEqual(['liveness listener exited (1)']);
    // The new worker reads the same heartbeat: a stalled loop is still reported.
    busy(2000);
    expect(ask(port).status).toBe(503);
  }, 30_000);

  it(`stays down after ${MAX_RESTARTS} restarts in a row: the probe fails, the orchestrator acts`, async () => {
    liveness = await startLiveness({ port: 0, host: '127.0.0.1', stallMs: 1500 });
    const { port } = liveness;
    const started = Date.now();
    for (let i = 0; i < MAX_RESTARTS; i += 1) {
      await liveness.kill();
      expect(await until(() => probe(port), 200, 10_000)).toBe(200);
    }
    // Each restart waited twice as long as the one before: 100 + 200 + 400 + 800 + 1600 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(RESTART_BASE_MS * (2 ** MAX_RESTARTS - 1));
    await liveness.kill();
    expect(liveness.state()).toBe('down');
    await new Promise((r) => setTimeout(r, RESTART_BASE_MS * 2 ** MAX_RESTARTS + 500));
    expect(await probe(port)).toBe('refused');
    expect(liveness.restarts()).toBe(MAX_RESTARTS);
  }, 30_000);
});

/** The status of a probe of `port`, or `refused` when nothing listens there. */
async function probe(port: number): Promise<number | 'refused'> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
      signal: AbortSignal.timeout(2000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 'refused';
  }
}

/** Asks `f` every 20 ms until it answers `want` or `ms` pass; the last answer. */
async function until<T>(f: () => Promise<T>, want: T, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await f();
  while (last !== want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    last = await f();
  }
  return last;
}
