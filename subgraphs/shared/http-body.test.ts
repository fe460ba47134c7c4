import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyTooLargeError, readBody } from './http-body.js';

/**
 * A body declared larger than the subgraph would ever drain (64 MB) is refused at once: it was
 * drained for 10 s (DRAIN_MAX_MS) before its 413, holding the connection and a timer for a body
 * that could never be read in step anyway.
 */
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    readBody(req, 1_000).then(
      () => res.end('read'),
      (err: unknown) => {
        res.setHeader('connection', 'close');
        res.writeHead(err instanceof BodyTooLargeError ? 413 : 400).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends headers declaring `length` and a few bytes of body; resolves with the status line. */
function declare(length: number): Promise<{ status: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n{"q`,
      );
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => {
      text += c;
      if (text.includes('\r\n')) {
        resolve({ status: text.split('\r\n')[0], ms: Date.now() - started });
        socket.destroy();
      }
    });
    socket.on('error', reject);
  });
}

describe('readBody', () => {
  it('refuses a body declared beyond what it drains at once, not after the drain timeout', async () => {
    const answer = await declare(99_999_999_999);
    expect(answer.status).toBe('HTTP/1.1 413 Payload Too Large');
    // The drain gives up after 10 s; a refusal on the headers comes in milliseconds.
    expect(answer.ms).toBeLessThan(5_000);
  });
});
