import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openExportStream } from './export-stream.js';

/**
 * A real server and a client that asks for an export and then reads nothing, with a 4 KB
 * receive buffer (Python: Node's sockets cannot set one). Random text, so gzip cannot shrink it
 * into the buffers.
 */
let server: Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

function stalledClient(port: number, gzip: boolean) {
  const script = `
import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", ${port}))
s.sendall(b"GET / HTTP/1.1\\r\\nHost: x\\r\\n${gzip ? 'Accept-Encoding: gzip\\r\\n' : ''}\\r\\n")
time.sleep(30)
`;
  return spawn('python3', ['-c', script], { stdio: 'ignore' });
}

describe('an export stream to a client that reads nothing', () => {
  it.each([
    ['identity', false],
    ['gzip', true],
  ])(
    '(%s) cuts the response after the send timeout; every write before it resolved',
    async (_, gzip) => {
      const outcome = new Promise<{ written: number; last: boolean; destroyed: boolean }>(
        (resolve) => {
          server = createServer((req, res) => {
            void (async () => {
              const out = openExportStream(req, res, 500);
              let written = 0;
              let ok = true;
              // At most 64 MB: far more than the buffers between the two hold.
              while (ok && written < 64 * 2 ** 20) {
                const line = `${randomBytes(48 * 1024).toString('base64')}\n`;
                ok = await out.write(line);
                written += line.length;
              }
              resolve({ written, last: ok, destroyed: res.destroyed });
            })();
          });
        },
      );
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
      const client = stalledClient((server!.address() as AddressInfo).port, gzip);
      try {
        const { written, last, destroyed } = await outcome;
        expect(last).toBe(false);
        expect(destroyed).toBe(true);
        expect(written).toBeLessThan(64 * 2 ** 20);
      } finally {
        client.kill();
      }
    },
    30_000,
  );
});

/**
 * A client that reads nothing until told (a line on stdin), then reads all it can: `eof` when
 * the server closed with a FIN (the data queued for it was still delivered), `reset` when the
 * connection was reset (the server's kernel dropped it).
 */
function drainingClient(port: number) {
  const script = `
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", ${port}))
s.sendall(b"GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
sys.stdin.readline()
try:
    while s.recv(65536):
        pass
    print("eof", flush=True)
except ConnectionResetError:
    print("reset", flush=True)
`;
  return spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'ignore'] });
}

describe('a cut export stream', () => {
  it('resets the connection: nothing it could not send stays queued for the client', async () => {
    const cut = new Promise<void>((resolve) => {
      server = createServer((req, res) => {
        void (async () => {
          const out = openExportStream(req, res, 300);
          let ok = true;
          while (ok) ok = await out.write(`${randomBytes(48 * 1024).toString('base64')}\n`);
          resolve();
        })();
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const client = drainingClient((server!.address() as AddressInfo).port);
    try {
      let said = '';
      client.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
      const exited = new Promise((resolve) => client.on('exit', resolve));
      await cut;
      client.stdin.end('read\n');
      await exited;
      expect(said.trim()).toBe('reset');
    } finally {
      client.kill();
    }
  }, 30_000);
});
