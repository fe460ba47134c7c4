import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileKeyStore } from '../gateway/auth/keys.js';
import { originOf, parseLines, post } from './support/exports.js';
import { bootStack, type Stack } from './support/stack.js';

// Songyang county: 214 villages, 11 pages of 20.
const REGION = '331124';
// Long enough that the page in flight when the client leaves outlasts the checks that follow.
const PAGE_MS = 1_000;

let stack: Stack;
let slowPlaces: Server;
let slowPlacesUrl: string;
const dir = mkdtempSync(join(tmpdir(), 'rdsg-export-faults-'));

/** Places behind a real HTTP hop that holds each export page back PAGE_MS: a page at a time. */
async function startSlowHop(target: string): Promise<Server> {
  const t = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const delay = body.toString('utf8').includes('villages(') ? PAGE_MS : 0;
      setTimeout(() => {
        const up = httpRequest(
          {
            host: t.hostname,
            port: t.port,
            path: t.pathname,
            method: req.method,
            headers: req.headers,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        up.on('error', () => req.socket.destroy());
        up.end(body);
      }, delay);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

beforeAll(async () => {
  stack = await bootStack({ scopes: [REGION] });
  slowPlaces = await startSlowHop(stack.subgraphs.places.url);
  slowPlacesUrl = `http://127.0.0.1:${(slowPlaces.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  slowPlaces?.closeAllConnections();
  slowPlaces?.close();
  await stack?.close();
});

/** A gateway over the slow hop, one export per caller, with a keys file of its own. */
async function slowGateway(name: string) {
  const keysPath = join(dir, `${name}.json`);
  const { key } = await new FileKeyStore(keysPath, 0).create({ name, owner: 'p', scopes: [] });
  const gw = await stack.extraGateway(
    { KEYS_PATH: keysPath, EXPORT_PAGE_SIZE: '20', EXPORT_MAX_PER_CALLER: '1' },
    { places: slowPlacesUrl },
  );
  return { gw, headers: { 'x-api-key': key } };
}

/** The gateway's sockets to the client port `client` still open (/proc/net/tcp, but TIME_WAIT). */
function serverSockets(gatewayPort: number, client: number): number {
  const port = (address: string) => parseInt(address.split(':')[1], 16);
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length > 3 && port(f[1]) === gatewayPort && port(f[2]) === client)
    .filter((f) => f[3] !== '06').length;
}

describe('an export whose client leaves mid-stream', () => {
  it('a client leaving mid-stream frees its slot and the gateway closes its socket', async () => {
    const { gw, headers } = await slowGateway('leaves');
    const origin = new URL(originOf(gw));
    try {
      const body = JSON.stringify({ regionCode: REGION, selection: '{ code name }' });
      const req = httpRequest({
        host: origin.hostname,
        port: origin.port,
        path: '/exports/villages',
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', ...headers },
      });
      req.end(body);
      const answer = await new Promise<import('node:http').IncomingMessage>((resolve) =>
        req.on('response', resolve),
      );
      expect(answer.statusCode).toBe(200);
      await new Promise((resolve) => answer.once('data', resolve));
      const clientPort = req.socket!.localPort!;
      expect(serverSockets(Number(origin.port), clientPort)).toBe(1);
      req.destroy();
      // However long the loaded machine takes to see the client go, the slot is free by then.
      await vi.waitFor(() => expect(serverSockets(Number(origin.port), clientPort)).toBe(0), {
        timeout: 10_000,
        interval: 10,
      });
      // The caller's one slot is free at once, not when the page in flight (held PAGE_MS by the
      // hop) would have ended.
      const again = await post(
        origin.origin,
        { codes: ['331124100001'], selection: '{ code }' },
        headers,
      );
      expect(again.status).toBe(200);
      expect(parseLines(await again.text()).at(-1)).toMatchObject({ done: true });
    } finally {
      await gw.close();
    }
  });
});
