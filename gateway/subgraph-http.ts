import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * One HTTP POST to a subgraph over pooled keep-alive connections (node:http), without the
 * WHATWG Request/Response/stream objects that fetch or node-fetch build per call: the body is a
 * string out and a string back. Idle sockets are closed well before the subgraphs' own
 * keep-alive timeout (65 s), so a request never races a server-side close.
 */
export interface SubgraphHttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export class SubgraphTimeoutError extends Error {
  override name = 'TimeoutError';
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
  opts: { maxSockets: number; idleMs?: number },
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
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8'),
          });
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        res.on('close', () => {
          clearTimeout(timer);
          if (!res.complete) reject(new Error('subgraph response cut short'));
        });
      });
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(payload);
    });
  }

  return { post, close: () => agent.destroy() };
}
