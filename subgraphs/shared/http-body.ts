import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLargeError extends Error {}

/**
 * How much of a refused body is still read (and thrown away) so that the connection stays in
 * step: the client, still sending, then reads the 413 instead of a reset, and a keep-alive
 * connection carries the next request cleanly. Past these bounds the connection is closed.
 */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
const DRAIN_MAX_MS = 10_000;

/**
 * Reads a request body up to `limit` bytes. A larger one (declared or sent) is read to its end
 * without being kept, then refused with a BodyTooLargeError; a server that stopped reading
 * half-way would leave the rest of the body on the connection, to be parsed as the next request
 * — which then never completes (the gateway's next fetch on that socket hung to its timeout).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number(req.headers['content-length']) > limit;
    let drainTimer: NodeJS.Timeout | undefined;
    const finish = (err: Error | undefined, text?: string) => {
      clearTimeout(drainTimer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (err) reject(err);
      else resolve(text!);
    };
    const tooLarge = () => new BodyTooLargeError(`body over ${limit} bytes`);
    const startDraining = () => {
      over = true;
      chunks.length = 0;
      // Still unread after this long: give up; the 413 goes out with the connection closed.
      drainTimer = setTimeout(() => finish(tooLarge()), DRAIN_MAX_MS);
    };
    function onData(chunk: Buffer) {
      size += chunk.length;
      if (!over && size > limit) startDraining();
      if (!over) chunks.push(chunk);
      else if (size > DRAIN_MAX_BYTES) finish(tooLarge());
    }
    function onEnd() {
      finish(over ? tooLarge() : undefined, Buffer.concat(chunks).toString('utf8'));
    }
    function onError(err: Error) {
      finish(err);
    }
    function onClose() {
      if (!req.complete) finish(new Error('request body cut short'));
    }
    // Declared beyond what would be drained: refused on the headers, the connection closed
    // (draining it for DRAIN_MAX_MS could never keep the connection in step).
    if (Number(req.headers['content-length']) > DRAIN_MAX_BYTES) return finish(tooLarge());
    if (over) startDraining();
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(text);
}
