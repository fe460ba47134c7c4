import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Requests Node's HTTP parser refuses before any handler sees them: a header value with a control
 * character (a key pasted with a NUL or an escape), headers over Node's 16 KB (431), a request
 * line that is not HTTP, a request that did not arrive within the request timeout (408). Node
 * answered them with a bare status line and no body, the one kind of refusal without a code a
 * client could branch on; they are answered here with the status Node chose and a JSON body
 * with `BAD_REQUEST`, as every other malformed request. The connection is closed, as Node does.
 */
export function answerClientErrors(server: Server): void {
  // Each connection's responses not yet closed, pipelined ones queued behind the first included.
  const open = new WeakMap<Socket, Set<ServerResponse>>();
  const idle = new WeakMap<Socket, () => void>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const responses = open.get(socket) ?? new Set<ServerResponse>();
    open.set(socket, responses.add(res));
    res.once('close', () => {
      responses.delete(res);
      if (responses.size === 0) idle.get(socket)?.();
    });
  });
  server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    // A connection reset: nothing can be answered on it.
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    if (idle.has(socket)) return; // already to be answered
    const [status, reason, message] = answerTo(err.code);
    const body = JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
    const answer = () => {
      if (!socket.writable) return void socket.destroy();
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      socket.destroySoon();
    };
    // Requests read in full before the refused one, pipelined, are answered first: written at
    // once, the refusal was read as the answer to the first of them and theirs were lost. A
    // request the error (or the timeout) cut is refused at once.
    const responses = [...(open.get(socket) ?? [])];
    const cut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || responses.some((r) => !r.req.complete);
    if (!cut && responses.length > 0) return void idle.set(socket, answer);
    const pending = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    // A response already under way: nothing can be answered on it.
    if (pending?.headersSent) return void socket.destroy();
    answer();
  });
}

function answerTo(code: string | undefined): [number, string, string] {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return [431, 'Request Header Fields Too Large', 'The request headers are too large.'];
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return [408, 'Request Timeout', 'The request did not arrive in time.'];
  }
  return [400, 'Bad Request', 'The request is not valid HTTP (a header or the request line).'];
}
