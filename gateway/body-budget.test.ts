import { connect, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { BodiesBusyError, BodyBudget, SMALL_BODY_BYTES } from './body-budget.js';
import { loadGatewayConfig } from './config.js';
import { BodyAbortedError, BodyTooLargeError, readBody } from './http.js';
import { createGatewayServer } from './server.js';

/** A request body as a stream, with the headers `readBody` looks at. */
function request(headers: Record<string, string> = {}) {
  const stream = new PassThrough();
  return Object.assign(stream, { headers, complete: true }) as unknown as IncomingMessage &
    PassThrough;
}

const tick = () => new Promise((r) => setImmediate(r));

describe('the budget of request-body bytes', () => {
  it('charges what fits, refuses (and counts) what does not, and takes back what is released', () => {
    let refused = 0;
    const budget = new BodyBudget(100, () => (refused += 1));
    expect(budget.charge(60)).toBe(true);
    expect(budget.charge(41)).toBe(false);
    expect(budget.held).toBe(60);
    expect(refused).toBe(1);
    expect(budget.charge(40)).toBe(true);
    budget.release(100);
    expect(budget.held).toBe(0);
    budget.release(5); // never below nothing
    expect(budget.charge(100)).toBe(true);
  });

  it('keeps a reserve for small bodies that eight callers stalling large ones cannot take', () => {
    const MB = 1_000_000;
    const budget = new BodyBudget(64 * MB, () => {}, 8 * MB);
    let held = 0;
    for (const owner of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) {
      for (let i = 0; i < 8; i++) if (budget.charge(MB, `anon:${owner}`)) held += 1;
    }
    // Large bodies fill three quarters; a 60-byte query of anyone else still fits.
    expect(held).toBe(48);
    expect(budget.charge(60, 'anon:z')).toBe(true);
    // A body growing past the small size (chunked) is held to the large bodies' part.
    expect(budget.charge(SMALL_BODY_BYTES, 'anon:y')).toBe(true);
    expect(budget.charge(1, 'anon:y', SMALL_BODY_BYTES + 1)).toBe(false);
    // With a budget of one caller's share, nothing is reserved: a full-size body still fits.
    expect(new BodyBudget(MB, () => {}, MB).charge(MB, 'anon:a')).toBe(true);
  });

  it('holds one caller to its share, so a few slow clients of one address cannot spend it all', () => {
    const budget = new BodyBudget(100, () => {}, 30);
    expect(budget.charge(30, 'anon:a')).toBe(true);
    expect(budget.charge(1, 'anon:a')).toBe(false);
    expect(budget.charge(30, 'anon:b')).toBe(true);
    budget.release(30, 'anon:a');
    expect(budget.charge(30, 'anon:a')).toBe(true);
    expect(budget.held).toBe(60);
  });

  it('is 64 MB unless set, and never less than one body of MAX_BODY_BYTES', () => {
    const env = { NODE_ENV: 'test' };
    expect(loadGatewayConfig(env).limits.maxBodyBytesInFlight).toBe(64_000_000);
    expect(() => loadGatewayConfig({ ...env, MAX_BODY_BYTES_IN_FLIGHT: '999999' })).toThrow(
      /MAX_BODY_BYTES_IN_FLIGHT: must be at least MAX_BODY_BYTES/,
    );
  });

  it('holds a body’s declared length while it is read and gives it back when it ends', async () => {
    const budget = new BodyBudget(1_000);
    const req = request({ 'content-length': '600' });
    const read = readBody(req, 10_000, budget);
    req.write('x'.repeat(100));
    await tick();
    expect(budget.held).toBe(600);
    await expect(readBody(request({ 'content-length': '500' }), 10_000, budget)).rejects.toThrow(
      BodiesBusyError,
    );
    req.end('y'.repeat(500));
    expect((await read).length).toBe(600);
    expect(budget.held).toBe(0);
  });

  it('charges a chunked body as it arrives, and releases on abort, over the limit and refusal', async () => {
    const budget = new BodyBudget(1_000);
    const aborted = request();
    const cut = readBody(aborted, 10_000, budget);
    aborted.write('x'.repeat(300));
    await tick();
    expect(budget.held).toBe(300);
    aborted.destroy(new Error('aborted'));
    await expect(cut).rejects.toThrow(BodyAbortedError);
    expect(budget.held).toBe(0);

    const huge = request();
    const tooLarge = readBody(huge, 500, budget);
    huge.write('x'.repeat(400));
    huge.write('x'.repeat(400));
    await expect(tooLarge).rejects.toThrow(BodyTooLargeError);
    expect(budget.held).toBe(0);

    const first = request({ 'content-length': '700' });
    const holding = readBody(first, 10_000, budget);
    const second = request();
    const over = readBody(second, 10_000, budget);
    second.write('x'.repeat(200));
    await tick();
    expect(budget.held).toBe(900);
    second.write('x'.repeat(200));
    await expect(over).rejects.toThrow(BodiesBusyError);
    expect(budget.held).toBe(700);
    first.end('x'.repeat(700));
    await holding;
    expect(budget.held).toBe(0);
  });
});

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});

/** Sends `head` (and no body) on a connection of its own; resolves what the server answers. */
function send(port: number, head: string): { socket: Socket; answer: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => {});
  socket.write(head);
  const answer = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  return { socket, answer };
}

const post = (length: number) =>
  `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

describe('a gateway reading more bodies than its budget', () => {
  it('refuses the bodies beyond it at once (429 BODIES_BUSY), and takes them again once freed', async () => {
    const budget = new BodyBudget(10_000);
    const config = loadGatewayConfig({ PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test' });
    const server = createGatewayServer({
      config,
      logger: pino({ level: 'silent' }),
      graphql: async (req) => {
        const text = await readBody(req, config.limits.maxBodyBytes, budget);
        return { status: 200, headers: {}, body: JSON.stringify({ data: { bytes: text.length } }) };
      },
      routes: [],
      serveMetrics: async (res) => void res.end('metrics'),
      subgraphsDown: async () => [],
      start: async () => {},
      stop: async () => {},
    });
    const running = await server.listen();
    const base = `http://127.0.0.1:${running.port}`;
    try {
      // A slow client announces 8 000 bytes and sends a few.
      const slow = send(running.port, `${post(8_000)}{"query":"{`);
      for (let i = 0; i < 100 && budget.held === 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(budget.held).toBe(8_000);

      // 5 000 more do not fit: answered at once, unread, and the connection closed.
      const startedAt = Date.now();
      const answer = await send(running.port, post(5_000)).answer;
      expect(Date.now() - startedAt).toBeLessThan(1_000);
      expect(answer).toMatch(/^HTTP\/1\.1 429 /);
      expect(answer).toMatch(/\r\nretry-after: 1\r\n/i);
      expect(answer).toMatch(/\r\nconnection: close\r\n/i);
      expect(answer).toContain('"code":"BODIES_BUSY"');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);

      // A small body still fits beside the slow one.
      const small = await fetch(`${base}/graphql`, { method: 'POST', body: '{"query":"{a}"}' });
      expect(small.status).toBe(200);

      // Once the slow client is gone its bytes are free again.
      slow.socket.destroy();
      for (let i = 0; i < 100 && budget.held > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(budget.held).toBe(0);
      const body = `{"query":"{a}","x":"${'x'.repeat(4_970)}"}`;
      const large = await fetch(`${base}/graphql`, { method: 'POST', body });
      expect(large.status).toBe(200);
      expect(await large.json()).toEqual({ data: { bytes: body.length } });
      expect(budget.held).toBe(0);
    } finally {
      await running.close();
    }
  });
});
