import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';

/**
 * One HTTP POST to a subgraph over pooled keep-alive connections (node:http), without the
 * WHATWG Request/Response/stream objects that fetch or node-fetch build per call: the body is a
 * string out and a string back. Idle sockets are closed well before the subgraphs' own
 * keep-alive timeout (65 s), so a request never races a server-side close. A socket goes back
 * to the pool only after a complete 2xx/3xx exchange: after an error, a timeout, a cut-short
 * answer or any 4xx/5xx it is destroyed, so a connection the server may have left in an unknown
 * state (a body it did not read) never carries the next request.
 */
export interface SubgraphHttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export class SubgraphTimeoutError extends Error {
  override name = 'TimeoutError';
}

/** An answer longer than the client reads (`maxResponseBytes`): cut, never retried. */
export class SubgraphResponseTooLarge extends Error {
  override name = 'SubgraphResponseTooLarge';
}

export interface SubgraphHttpClient {
  post(
    body: string,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<SubgraphHttpResponse>;
  close(): void;
}

export function createSubgraphHttpClient(
  url: string,
  opts: { maxSockets: number; idleMs?: number; maxResponseBytes?: number },
): SubgraphHttpClient {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const agentOptions = {
    keepAlive: true,
    maxSockets: opts.maxSockets,
    maxFreeSockets: opts.maxSockets,
    scheduling: 'lifo' as const,
    // A free socket idle this long is closed by the agent.
    timeout: opts.idleMs ?? 30_000,
  };
  const agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const send = secure ? httpsRequest : httpRequest;
  const base = {
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port,
    path: `${target.pathname}${target.search}`,
    method: 'POST',
    agent,
  };

  function post(
    body: string,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<SubgraphHttpResponse> {
    return new Promise((resolve, reject) => {
      const payload = Buffer.from(body, 'utf8');
      const req = send({
        ...base,
        headers: { ...headers, 'content-length': String(payload.length) },
      });
      const timer = setTimeout(
        () => req.destroy(new SubgraphTimeoutError(`no answer within ${timeoutMs} ms`)),
        Math.max(1, timeoutMs),
      );
      // Never reused once discarded: the agent drops a destroyed socket from its pool.
      let socket: Socket | undefined;
      req.once('socket', (s: Socket) => (socket = s));
      const discard = () => socket?.destroy();
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        const limit = opts.maxResponseBytes ?? Number.POSITIVE_INFINITY;
        const tooLarge = () =>
          req.destroy(new SubgraphResponseTooLarge(`answer longer than ${limit} bytes`));
        if (Number(res.headers['content-length'] ?? 0) > limit) return tooLarge();
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (bytes > limit) return tooLarge();
          chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(timer);
          if ((res.statusCode ?? 0) >= 400) discard();
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8'),
          });
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          discard();
          reject(err);
        });
        res.on('close', () => {
          clearTimeout(timer);
          if (!res.complete) {
            discard();
            reject(new Error('subgraph response cut short'));
          }
        });
      });
      req.on('error', (err) => {
        clearTimeout(timer);
        discard();
        reject(err);
      });
      req.end(payload);
    });
  }

  return { post, close: () => agent.destroy() };
}
