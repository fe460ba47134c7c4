import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER, signIdentity } from '../../contract/identity.js';
import { startGreetingServer } from './fixtures.js';
import type { RunningServer } from './server.js';

const secret = 's'.repeat(40);
let server: RunningServer;
beforeAll(async () => {
  server = await startGreetingServer('identity-first', {
    gatewaySharedSecret: secret,
    requireIdentity: true,
  });
});
afterAll(() => server?.close());

/**
 * A POST declaring `declared` bytes of which only the first few are sent, then nothing: the
 * status of the answer, or an error when none comes within 3 s.
 */
function stalledPost(headers: Record<string, string>, declared: number) {
  return new Promise<{ status: number; connection?: string; text: string }>((resolve, reject) => {
    const req = request(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(declared),
        ...headers,
      },
      timeout: 3_000,
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 3 s')));
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        resolve({ status: res.statusCode!, connection: res.headers.connection, text });
        req.destroy();
      });
    });
    req.write('{"query":"{ greeting }","pad":"');
  });
}

describe('a subgraph that answers its gateway only', () => {
  it('refuses a caller without the signed identity before reading its body', async () => {
    // 10 MB declared, within the body limit: read first, it held the connection (and, sent,
    // the bytes) until the body came or the request timed out.
    const refused = await stalledPost({}, 10_000_000);
    expect(refused.status).toBe(401);
    expect(refused.connection).toBe('close');
    expect(JSON.parse(refused.text)).toEqual({
      errors: [
        {
          message: 'This service answers its gateway only.',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    const forged = {
      [IDENTITY_HEADER]: signIdentity({ id: 'a', kind: 'anonymous', scopes: [] }, 'x'.repeat(40)),
    };
    expect((await stalledPost(forged, 10_000_000)).status).toBe(401);
  });

  it('still reads the whole body of a signed request, and answers it', async () => {
    const signed = {
      [IDENTITY_HEADER]: signIdentity({ id: 'a', kind: 'anonymous', scopes: [] }, secret),
    };
    await expect(stalledPost(signed, 10_000_000)).rejects.toThrow(/no answer within 3 s/);
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed },
      body: JSON.stringify({ query: '{ greeting }' }),
    });
    expect(await res.json()).toEqual({ data: { greeting: 'hello' } });
  });

  it('cuts a connection whose headers never finish, in bounded time', async () => {
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => {});
    const started = Date.now();
    socket.write('POST /graphql HTTP/1.1\r\nhost: subgraph\r\n'); // and never the rest
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString()));
      socket.on('close', () => resolve(text));
      setTimeout(() => resolve('still open after 15 s'), 15_000).unref();
    });
    socket.destroy();
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 20_000);
});
