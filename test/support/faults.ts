import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultMode = 'pass' | 'down' | 'hang' | 'garbage' | 'error500';

export interface FaultProxy {
  url: string;
  /** What the proxy does with the next requests. */
  mode: FaultMode;
  /** Requests received, by operation kind of their body. */
  requests: { query: number; mutation: number };
  close: () => Promise<void>;
}

/**
 * A real HTTP hop between the gateway and one subgraph that can fail on demand: `down` resets
 * the connection (a dead process), `hang` never answers, `garbage` answers 200 with HTML,
 * `error500` answers 500. It counts what reaches it.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  const hung = new Set<import('node:http').ServerResponse>();
  const proxy: FaultProxy = {
    url: '',
    mode: 'pass',
    requests: { query: 0, mutation: 0 },
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isMutation = /"query":"\s*mutation\b/.test(body.toString('utf8'));
      proxy.requests[isMutation ? 'mutation' : 'query'] += 1;
      switch (proxy.mode) {
        case 'down':
          req.socket.destroy();
          return;
        case 'hang':
          hung.add(res);
          return;
        case 'garbage':
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end('<html><body>502 Bad Gateway</body></html>');
          return;
        case 'error500':
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('internal error at /srv/app/db.js:12 SELECT * FROM secrets');
          return;
        default: {
          const upstream = httpRequest(
            {
              host: targetUrl.hostname,
              port: targetUrl.port,
              path: targetUrl.pathname,
              method: req.method,
              headers: { ...req.headers, host: targetUrl.host },
            },
            (up) => {
              res.writeHead(up.statusCode ?? 502, up.headers);
              up.pipe(res);
            },
          );
          upstream.on('error', () => req.socket.destroy());
          upstream.end(body);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  proxy.close = async () => {
    for (const res of hung) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}
