import type { Server } from 'node:http';
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
  server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    // A connection reset, or a response already under way: nothing can be answered on it.
    if (err.code === 'ECONNRESET' || !socket.writable || pending?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, reason, message] = answerTo(err.code);
    const body = JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
    socket.destroySoon();
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
