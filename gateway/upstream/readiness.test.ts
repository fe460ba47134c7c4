import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphReadiness, subgraphsDown } from './readiness.js';

/** What a real HTTP server at each path answers the probe's POST. */
const ANSWERS: Record<string, { status: number; type: string; body: string }> = {
  '/graphql': { status: 200, type: 'application/json', body: '{"data":{"__typename":"Query"}}' },
  '/html': { status: 200, type: 'text/html', body: '<html><body>Welcome to nginx</body></html>' },
  '/null': { status: 200, type: 'application/json', body: '{"data":null}' },
  '/errors': {
    status: 200,
    type: 'application/json',
    body: '{"errors":[{"message":"x","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}',
  },
  '/empty': { status: 200, type: 'application/json', body: '' },
  '/wrong': { status: 200, type: 'application/json', body: '{"data":{"__typename":42}}' },
  '/failing': { status: 503, type: 'application/json', body: '{"data":{"__typename":"Query"}}' },
};

let server: Server;
let origin: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = ANSWERS[req.url ?? ''];
      res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('subgraphsDown', () => {
  it('counts as up only a JSON answer with data.__typename (HTML or data:null were up)', async () => {
    const subgraphs = Object.keys(ANSWERS).map((path) => ({ name: path, url: origin + path }));
    const down = await subgraphsDown(subgraphs, 'secret');
    expect(down.sort()).toEqual(['/empty', '/errors', '/failing', '/html', '/null', '/wrong']);
  });
});

describe('subgraphReadiness', () => {
  /** A probe answering `down` as set, counting its calls, on a clock the test moves. */
  function setup(waitMs: number) {
    const state = { down: ['culture'], probes: 0, clock: 0 };
    const probe = async () => {
      state.probes += 1;
      return [...state.down];
    };
    return { state, readiness: subgraphReadiness(probe, waitMs, () => state.clock) };
  }

  it('waits for every subgraph at start, then reports one down without leaving the balancer', async () => {
    const { state, readiness } = setup(30_000);
    readiness.start();
    expect(await readiness.check()).toEqual({ waiting: true, down: ['culture'] });
    state.clock += 1_001;
    state.down = [];
    expect(await readiness.check()).toEqual({ waiting: false, down: [] });
    state.clock += 1_001;
    state.down = ['culture', 'commerce'];
    // Every replica sees the same outage: taking them all out would serve nothing at all.
    expect(await readiness.check()).toEqual({ waiting: false, down: ['culture', 'commerce'] });
  });

  it('stops waiting after the startup wait even if a subgraph never answered', async () => {
    const { state, readiness } = setup(5_000);
    readiness.start();
    expect((await readiness.check()).waiting).toBe(true);
    state.clock += 5_000;
    expect(await readiness.check()).toEqual({ waiting: false, down: ['culture'] });
  });

  it('probes at most once a second, whoever polls', async () => {
    const { state, readiness } = setup(5_000);
    readiness.start();
    await Promise.all(Array.from({ length: 50 }, () => readiness.check()));
    state.clock += 999;
    await readiness.check();
    expect(state.probes).toBe(1);
    state.clock += 2;
    await readiness.check();
    expect(state.probes).toBe(2);
  });

  it('answers from the last probe that ended while a new one hangs on a stopped subgraph', async () => {
    let clock = 0;
    let hang = false;
    const probe = () =>
      hang
        ? new Promise<string[]>((r) => setTimeout(() => r(['culture']), 2_000))
        : Promise.resolve([]);
    const readiness = subgraphReadiness(probe, 0, () => clock);
    readiness.start();
    expect(await readiness.check()).toEqual({ waiting: false, down: [] });
    hang = true; // culture SIGSTOPped: the probe waits its whole 2 s for it
    clock += 1_001;
    const t = Date.now();
    expect(await readiness.check()).toEqual({ waiting: false, down: [] });
    expect(Date.now() - t).toBeLessThan(1_000);
    await new Promise((r) => setTimeout(r, 2_100)); // the hung probe ends: culture is down
    expect(await readiness.check()).toEqual({ waiting: false, down: ['culture'] });
  });
});
