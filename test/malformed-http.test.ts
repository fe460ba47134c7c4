import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './support/gateway.js';
import {
  NOTES_SDL,
  startNotesSubgraph,
  writeSupergraph,
  type NotesSubgraph,
} from './support/notes-subgraph.js';

/**
 * Requests Node's parser refuses before the gateway's handlers (a control character in an API
 * key, headers over 16 KB, a request line that is not HTTP) are answered as every malformed
 * request: a JSON body whose error has the code BAD_REQUEST, not a bare status line.
 */
let notes: NotesSubgraph;
let gw: TestGateway;

beforeAll(async () => {
  notes = await startNotesSubgraph();
  gw = await startGateway({
    SUPERGRAPH_PATH: writeSupergraph([{ name: 'notes', url: notes.url, sdl: NOTES_SDL }]),
  });
});
afterAll(async () => {
  await gw?.close();
  await notes?.close();
});

/** Sends `head` as it is; the status and body of the answer once the gateway closes. */
function send(head: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(gw.running.port, '127.0.0.1');
    let text = '';
    socket.on('data', (c) => (text += String(c)));
    socket.on('error', reject);
    socket.on('close', () =>
      resolve({ status: Number(text.split(' ')[1]), body: text.split('\r\n\r\n')[1] ?? '' }),
    );
    socket.write(head);
  });
}

const query = JSON.stringify({ query: '{ hello }' });
const post = (headers: string) =>
  `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${headers}` +
  `Content-Length: ${query.length}\r\n\r\n${query}`;

describe('a request Node cannot parse', () => {
  it.each([
    ['an API key with a control character', post('X-Api-Key: rdsg_\u0001abc\r\n'), 400],
    ['an API key with a NUL', post('X-Api-Key: rdsg_\u0000abc\r\n'), 400],
    ['an API key of 20 000 characters', post(`X-Api-Key: rdsg_${'a'.repeat(20_000)}\r\n`), 431],
    ['a request line that is not HTTP', 'HELLO\r\n\r\n', 400],
  ])('%s is answered with a code', async (_, head, status) => {
    const answer = await send(head);
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body)).toMatchObject({
      errors: [{ extensions: { code: 'BAD_REQUEST' } }],
    });
    const healthz = await fetch(new URL('/healthz', gw.url));
    expect(healthz.status).toBe(200);
  });
});

// A good request and a malformed one pipelined in one write: the refusal was written at once,
// read by the client as the answer to the good request, whose own answer was lost.
it('answers requests pipelined before a malformed one first, in order', async () => {
  const good = post('');
  const health = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
  for (const [sent, before] of [
    [good, 1],
    [good + health + good, 3],
  ] as const) {
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(gw.running.port, '127.0.0.1');
      let got = '';
      socket.on('data', (c) => (got += String(c)));
      socket.on('error', reject);
      socket.on('close', () => resolve(got));
      socket.write(`${sent}HELLO\r\n\r\n`);
    });
    const statuses = [...text.matchAll(/^HTTP\/1\.1 (\d+)/gm)].map((m) => Number(m[1]));
    expect(statuses).toEqual([...Array<number>(before).fill(200), 400]);
    expect(text.split('{"data":{"hello":"hello"}}').length - 1).toBe(before === 1 ? 1 : 2);
    expect(text.endsWith('"extensions":{"code":"BAD_REQUEST"}}]}')).toBe(true);
  }
});

it('refuses a request whose chunked body is malformed at once', async () => {
  const head = 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n';
  const answer = await send(`${head}Transfer-Encoding: chunked\r\n\r\n5\r\n{"que\r\nZZ\r\n`);
  expect(answer.status).toBe(400);
  expect(JSON.parse(answer.body)).toMatchObject({
    errors: [{ extensions: { code: 'BAD_REQUEST' } }],
  });
});
