import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { BodiesBusyError, type BodyBudget } from './body-budget.js';
import Negotiator from 'negotiator';

export class BodyTooLargeError extends Error {}

/**
 * The request body did not arrive whole: the client closed the connection in the middle of it,
 * or Node's `requestTimeout` cut it (Node answers that one 408 itself). The client's doing, not
 * the gateway's: nothing is answered, nothing ran.
 */
export class BodyAbortedError extends Error {}

/** The request body is not UTF-8: decoding it would replace bytes and change what was sent. */
export class BodyNotUtf8Error extends Error {}

/**
 * The status and audit result of a request that threw: the client's doing (413, 499), too many
 * bodies at once (429) or 500.
 */
export function failureOf(err: unknown): { status: number; result: string } {
  if (err instanceof BodyTooLargeError) return { status: 413, result: 'PAYLOAD_TOO_LARGE' };
  if (err instanceof BodiesBusyError) return { status: 429, result: 'BODIES_BUSY' };
  // 499 as nginx's "client closed request": no response is sent.
  if (err instanceof BodyAbortedError) return { status: 499, result: 'CLIENT_CLOSED_REQUEST' };
  return { status: 500, result: 'INTERNAL_SERVER_ERROR' };
}

/**
 * Why a request body cannot be read from its headers, or undefined: bodies are JSON declared as
 * `application/json` (another type was parsed as JSON all the same on /graphql: an
 * `application/graphql` document was "Malformed JSON body.", an `application/xml` label was
 * ignored), read as sent (no Content-Encoding but `identity`: nothing is inflated) and decoded
 * as UTF-8 (a `charset` parameter other than UTF-8 would be decoded wrongly). Each is answered 415.
 */
export function unsupportedBody(req: IncomingMessage): string | undefined {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') return 'Send a JSON body (application/json).';
  const encoding = req.headers['content-encoding'];
  const codings = (encoding ?? '').split(',').map((c) => c.trim().toLowerCase());
  if (codings.some((c) => c !== '' && c !== 'identity')) {
    return 'Send the body without a Content-Encoding: compressed bodies are not read.';
  }
  for (const param of (req.headers['content-type'] ?? '').split(';').slice(1)) {
    const [name, ...rest] = param.split('=');
    if (name.trim().toLowerCase() !== 'charset') continue;
    const charset = rest
      .join('=')
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
    if (!['utf-8', 'utf8', 'us-ascii'].includes(charset)) {
      return 'Send the body in UTF-8 (charset=utf-8).';
    }
  }
  return undefined;
}

/**
 * The body as text, decoded as UTF-8 up to `limit` bytes (over it: BodyTooLargeError; cut
 * short: BodyAbortedError). With a `budget`, the body's bytes count against it while it is read:
 * its declared Content-Length before the first byte, what arrives beyond that as it arrives,
 * charged to `owner` (the caller) too;
 * what does not fit throws BodiesBusyError. A byte order mark before the text is dropped
 * (RFC 8259 lets a JSON parser ignore it); bytes that are not UTF-8 throw BodyNotUtf8Error.
 */
export async function readBody(
  req: IncomingMessage,
  limit: number,
  budget?: BodyBudget,
  owner?: string,
): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  let charged = 0; // bytes of `budget` this body holds
  const charge = (bytes: number) => {
    if (!budget || !(bytes > charged)) return;
    if (!budget.charge(bytes - charged, owner, bytes)) throw new BodiesBusyError();
    charged = bytes;
  };
  try {
    charge(declared);
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) throw new BodyTooLargeError();
      charge(size);
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof BodyTooLargeError || err instanceof BodiesBusyError) throw err;
    // Reading the request fails only when its connection is gone ('aborted', ECONNRESET).
    throw new BodyAbortedError('The request body did not arrive whole.', { cause: err });
  } finally {
    budget?.release(charged, owner);
  }
  if (req.complete === false) throw new BodyAbortedError('The request body did not arrive whole.');
  try {
    // Fatal: a byte that is not UTF-8 refuses the body (400) rather than reaching a write as
    // U+FFFD; the decoder also drops a leading byte order mark.
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new BodyNotUtf8Error('The body is not valid UTF-8.');
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function errorBody(message: string, code: string, extra: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, ...extra } }] };
}

const ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'x-api-key',
  'x-request-id',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'idempotency-key',
].join(', ');

/**
 * CORS for the configured origins only (`*` allows any). Answers preflights; returns true when
 * the request was a preflight and is done.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, origins: string[]): boolean {
  const origin = req.headers.origin;
  const allowed = typeof origin === 'string' && (origins.includes('*') || origins.includes(origin));
  res.setHeader('vary', 'Origin');
  if (allowed) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', 'x-request-id, retry-after');
  }
  if (req.method !== 'OPTIONS') return false;
  if (allowed) {
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
    res.setHeader('access-control-max-age', '600');
  }
  res.statusCode = 204;
  res.end();
  return true;
}

/** Encodings the client accepts (`q=0` excluded), lower-cased. */
export function accepted(header: string | string[] | undefined): Set<string> {
  const out = new Set<string>();
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const part of value.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name || params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p))) continue;
    out.add(name);
  }
  return out;
}

/**
 * The response body, compressed when it is at least `minBytes` long and the client accepts
 * gzip or br (RFC 9110's rules, by `negotiator`: `gzip;q=0, *` is br, not gzip; the higher
 * q wins, gzip at a tie). Fastest settings (gzip level 1, brotli quality 1): JSON answers
 * shrink about ten times for a fraction of a millisecond; small answers are sent as they are.
 */
export function encodeBody(
  body: string,
  acceptEncoding: string | string[] | undefined,
  minBytes: number,
): { body: string | Buffer; encoding?: 'gzip' | 'br' } {
  if (minBytes <= 0 || body.length < minBytes || !acceptEncoding) return { body };
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding;
  const negotiator = new Negotiator({ headers: { 'accept-encoding': header } }) as Negotiator & {
    // negotiator 1.x takes the server's preference for ties; its published types predate it.
    encoding(available: string[], options: { preferred: string[] }): string | undefined;
  };
  const choice = negotiator.encoding(['gzip', 'br'], { preferred: ['gzip', 'br'] });
  if (choice === 'gzip') return { body: gzipSync(body, { level: 1 }), encoding: 'gzip' };
  if (choice === 'br') {
    const params = { [zlibConstants.BROTLI_PARAM_QUALITY]: 1 };
    return { body: brotliCompressSync(body, { params }), encoding: 'br' };
  }
  return { body };
}
