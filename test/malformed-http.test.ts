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
