import { connect, type Socket } from 'node:net';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from './config.js';
import { readBody } from './http.js';
import { createGatewayServer, wellFormed, type ServerParts } from './server.js';

/** The HTTP side alone: a real listener on a free port, the pipeline replaced by `graphql`. */
async function serve(overrides: Partial<ServerParts> = {}, env: Record<string, string> = {}) {
  const events: string[] = [];
  const server = createGatewayServer({
    config: loadGatewayConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      LIVENESS_PORT: '0',
      ...env,
    }),
    logger: pino({ level: 'silent' }),
    graphql: async () => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"data":{}}',
    }),
    routes: [],
    serveMetrics: async (res) => void res.end('metrics'),
    subgraphsDown: async () => [],
    start: async () => void events.push('start'),
    stop: async () => void events.push('stop'),
    ...overrides,
  });
  const running = await server.listen();
  const base = `http://127.0.0.1:${running.port}`;
  return { running, base, events };
}

describe('gateway HTTP server', () => {
  it('routes /healthz, /readyz, /graphql, a route of its own and 404, with request ids', async () => {
    const { running, base, events } = await serve({
      routes: [
        {
          matches: (_req, path) => path === '/csv/x',
          handle: async (_req, res) => void res.end('csv'),
        },
      ],
    });
    try {
      expect(events).toEqual(['start']);
      const health = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'abc-1' } });
      expect(await health.json()).toEqual({ status: 'ok' });
      expect(health.headers.get('x-request-id')).toBe('abc-1');
      const odd = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'no spaces!' } });
      expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
      expect(await (await fetch(`${base}/graphql`, { method: 'POST' })).json()).toEqual({
        data: {},
      });
      expect(await (await fetch(`${base}/csv/x`)).text()).toBe('csv');
      const missing = await fetch(`${base}/nowhere`);
      expect(missing.status).toBe(404);
      expect((await missing.json()).errors[0].extensions.code).toBe('NOT_FOUND');
    } finally {
      await running.close();
    }
    expect(events).toEqual(['start', 'stop']);
  });

  it('answers 400 to a malformed target, 413 to a body too large, 500 without details', async () => {
    const { BodyTooLargeError } = await import('./http.js');
    let fail: Error = new BodyTooLargeError();
    const { running, base } = await serve({
      graphql: async () => {
        throw fail;
      },
    });
    try {
      expect(wellFormed('/graphql?q=%E4%B8%AD')).toBe(true);
      expect(wellFormed('/graphql?q=%E4%B8')).toBe(false);
      expect((await fetch(`${base}/graphql?q=%zz`)).status).toBe(400);
      expect((await fetch(`${base}/graphql`, { method: 'POST' })).status).toBe(413);
      fail = new Error('SELECT * FROM secret');
      const broken = await fetch(`${base}/graphql`, { method: 'POST' });
      expect(broken.status).toBe(500);
      const text = await broken.text();
      expect(text).toContain('INTERNAL_SERVER_ERROR');
      expect(text).not.toContain('secret');
    } finally {
      await running.close();
    }
  });

  it('takes a body the client cut short as the client’s doing: no error log, nothing sent', async () => {
    const logged: { level: number; msg: string; err?: unknown }[] = [];
    const logger = pino(
      { level: 'debug' },
      { write: (line: string) => logged.push(JSON.parse(line)) },
    );
    let ran = false;
    const { running } = await serve({
      logger,
      graphql: async (req) => {
        await readBody(req, 1_000_000);
        ran = true;
        return { status: 200, headers: {}, body: '{"data":{}}' };
      },
    });
    try {
      // 100 000 bytes announced, a few sent, then the connection closed.
      const client = connect(running.port, '127.0.0.1');
      let received = '';
      client.on('data', (chunk) => (received += chunk.toString()));
      client.on('error', () => {});
      client.write(
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          'X-Request-Id: cut-body\r\nContent-Length: 100000\r\n\r\n{"query":"mutation',
      );
      await new Promise((r) => setTimeout(r, 50));
      client.end();
      for (let i = 0; i < 100 && !logged.some((l) => l.msg.includes('cut short')); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const line = logged.find((l) => l.msg.includes('cut short'));
      expect(line).toMatchObject({ level: 30, requestId: 'cut-body' });
      expect(line?.err).toBeUndefined();
      expect(logged.filter((l) => l.level >= 50)).toEqual([]);
      expect(ran).toBe(false);
      // Node's own 400 to a half-closed request at most; no answer of the gateway's (they all
      // carry a request id).
      expect(received).not.toMatch(/x-request-id|500|INTERNAL/i);
    } finally {
      await running.close();
    }
  });

  it('names what is unavailable on the operator listener only, and probes at most once a second', async () => {
    let probes = 0;
    const { running, base } = await serve(
      {
        subgraphsDown: async () => {
          probes++;
          return ['culture'];
        },
      },
      { NODE_ENV: 'production', GATEWAY_SHARED_SECRET: 's'.repeat(32), OPERATOR_PORT: '0' },
    );
    try {
      const pub = await fetch(`${base}/readyz`);
      expect(pub.status).toBe(503);
      expect(await pub.json()).toEqual({ status: 'unavailable' });
      expect((await fetch(`${base}/metrics`)).status).toBe(404);
      const op = `http://127.0.0.1:${running.operatorPort}`;
      expect(await (await fetch(`${op}/readyz`)).json()).toEqual({
        status: 'unavailable',
        unavailable: ['culture'],
      });
      expect(await (await fetch(`${op}/metrics`)).text()).toBe('metrics');
      expect(probes).toBe(1);
      // Outside development the liveness listener answers too, on a port of its own.
      expect(running.livenessPort).toBeGreaterThan(0);
      const live = await fetch(`http://127.0.0.1:${running.livenessPort}/healthz`);
      expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    } finally {
      await running.close();
    }
  });

  it('says on /healthz and /readyz that its liveness worker died, until the restart listens', async () => {
    const { running, base } = await serve(
      {},
      { NODE_ENV: 'production', GATEWAY_SHARED_SECRET: 's'.repeat(32), OPERATOR_PORT: '0' },
    );
    const op = `http://127.0.0.1:${running.operatorPort}`;
    const answer = async (url: string) => {
      const res = await fetch(url);
      return [res.status, await res.json()];
    };
    try {
      await running.liveness!.kill(); // the worker thread ends, as a crash ends it
      expect(await answer(`${base}/healthz`)).toEqual([
        200,
        { status: 'ok', liveness: 'restarting' },
      ]);
      expect(await answer(`${op}/readyz`)).toEqual([
        200,
        { status: 'ready', degraded: ['liveness'] },
      ]);
      // Started again on the same port within its backoff (100 ms after a first death).
      const deadline = Date.now() + 5_000;
      while (running.liveness!.state() !== 'up' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await answer(`http://127.0.0.1:${running.livenessPort}/healthz`)).toEqual([
        200,
        { status: 'ok' },
      ]);
      expect(await answer(`${op}/healthz`)).toEqual([200, { status: 'ok' }]);
      expect(await answer(`${op}/readyz`)).toEqual([200, { status: 'ready' }]);
    } finally {
      await running.close();
    }
  });

  it('reports a degraded part (Redis) to the operator while staying ready', async () => {
    const { running, base } = await serve(
      { degraded: () => ['redis'] },
      { NODE_ENV: 'production', GATEWAY_SHARED_SECRET: 's'.repeat(32), OPERATOR_PORT: '0' },
    );
    try {
      const pub = await fetch(`${base}/readyz`);
      expect([pub.status, await pub.json()]).toEqual([200, { status: 'ready' }]);
      const op = await fetch(`http://127.0.0.1:${running.operatorPort}/readyz`);
      expect([op.status, await op.json()]).toEqual([200, { status: 'ready', degraded: ['redis'] }]);
    } finally {
      await running.close();
    }
  });

  it('holds at most MAX_CONNECTIONS_PER_ADDRESS silent connections of one client; the operator /healthz answers', async () => {
    const refused: string[] = [];
    const { running, base } = await serve(
      { refusedConnection: (reason) => refused.push(reason) },
      {
        NODE_ENV: 'production',
        GATEWAY_SHARED_SECRET: 's'.repeat(32),
        OPERATOR_PORT: '0',
        MAX_CONNECTIONS_PER_ADDRESS: '20',
      },
    );
    const sockets: Socket[] = [];
    try {
      const closed: boolean[] = [];
      for (let i = 0; i < 30; i++) {
        const s = connect(running.port, '127.0.0.1');
        sockets.push(s);
        const at = closed.push(false) - 1;
        s.on('close', () => (closed[at] = true)).on('error', () => {});
        await new Promise((r) => s.once('connect', r));
      }
      await new Promise((r) => setTimeout(r, 200));
      expect(closed.filter(Boolean)).toHaveLength(10);
      expect(refused).toEqual(Array(10).fill('address'));
      const op = await fetch(`http://127.0.0.1:${running.operatorPort}/healthz`);
      expect(op.status).toBe(200);
      for (const s of sockets) s.destroy();
      await new Promise((r) => setTimeout(r, 100));
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      for (const s of sockets) s.destroy();
      await running.close();
    }
  });

  it('lets an in-flight request finish on close, then stops accepting', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { running, base } = await serve({
      graphql: async () => {
        await gate;
        return { status: 200, headers: {}, body: 'done' };
      },
    });
    const inFlight = fetch(`${base}/graphql`, { method: 'POST' });
    await new Promise((r) => setTimeout(r, 50));
    const closing = running.close();
    release();
    expect(await (await inFlight).text()).toBe('done');
    await closing;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
