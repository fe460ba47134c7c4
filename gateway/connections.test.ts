import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_PROXY, parseTrustProxy } from './auth/proxy-trust.js';
import { defaultMaxConnections, limitConnections, type ConnectionLimits } from './connections.js';

let server: Server;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await new Promise((r) => server.close(r));
});

async function listen(limits: ConnectionLimits, trust = NO_PROXY) {
  const refused: string[] = [];
  server = createServer((_req, res) => res.end('ok'));
  limitConnections(server, limits, trust, (reason) => refused.push(reason));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, refused };
}

/** Opens a silent connection; resolves whether the server still holds it after a moment. */
async function silent(port: number): Promise<boolean> {
  const s = connect(port, '127.0.0.1');
  sockets.push(s);
  let closed = false;
  s.on('close', () => (closed = true));
  s.on('error', () => (closed = true));
  await new Promise((r) => s.once('connect', r));
  await new Promise((r) => setTimeout(r, 100));
  return !closed;
}

async function get(port: number): Promise<number | string> {
  return fetch(`http://127.0.0.1:${port}/`).then(
    (r) => r.status,
    (e: Error) => e.message,
  );
}

describe('client connection limits', () => {
  it('closes the connections of one address beyond its share, and serves again after', async () => {
    const { port, refused } = await listen({ max: 100, perAddress: 3 });
    const held = [];
    for (let i = 0; i < 5; i++) held.push(await silent(port));
    expect(held).toEqual([true, true, true, false, false]);
    expect(refused).toEqual(['address', 'address']);
    for (const s of sockets.splice(0)) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(await get(port)).toBe(200);
  });

  it('closes connections beyond the total', async () => {
    const { port, refused } = await listen({ max: 2, perAddress: 0 });
    const held = [];
    for (let i = 0; i < 4; i++) held.push(await silent(port));
    expect(held).toEqual([true, true, false, false]);
    expect(refused).toEqual(['total', 'total']);
  });

  it('does not hold a trusted proxy to the share of one address', async () => {
    const { port, refused } = await listen(
      { max: 100, perAddress: 2 },
      parseTrustProxy('loopback'),
    );
    const held = [];
    for (let i = 0; i < 4; i++) held.push(await silent(port));
    expect(held).toEqual([true, true, true, true]);
    expect(refused).toEqual([]);
  });

  it('defaults to half the open-file limit, within 64 and 10,000', () => {
    const limits = (n: number) =>
      `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${n}                 ${n}                 files\n`;
    expect(defaultMaxConnections(limits(1_024))).toBe(512);
    expect(defaultMaxConnections(limits(1_048_576))).toBe(10_000);
    expect(defaultMaxConnections(limits(50))).toBe(64);
    expect(defaultMaxConnections('')).toBe(4_096);
  });
});
