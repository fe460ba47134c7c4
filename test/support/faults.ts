import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultMode =
  | 'pass'
  | 'down'
  | 'hang'
  | 'garbage'
  | 'error500'
  | 'error400'
  | 'error404'
  | 'slow'
  | 'holdWrites'
  | Garble;

/**
 * Answers passed on rewritten, HTTP 200 and valid JSON: `dropFields` removes every number and
 * boolean field, `stringNumbers` turns numbers into strings, `dataNull` answers `{"data":null}`,
 * `dropEntity` removes the last of `_entities`' items, `swapEntities` answers them in reverse
 * order (each entity of the right shape, but another's); in a batched fetch, of each `_eN`;
 * `someEntities` answers every other item of them null with an error at its path,
 * `pathlessErrors` the same with errors that name no path, `nullEntities` with no error;
 * `requestError` answers no data and one SUBGRAPH_UNAVAILABLE error that names no path.
 */
export type Garble =
  | 'dropFields'
  | 'stringNumbers'
  | 'dataNull'
  | 'dropEntity'
  | 'swapEntities'
  | 'someEntities'
  | 'pathlessErrors'
  | 'nullEntities'
  | 'requestError';

/** What an `_entities` item's error says in `someEntities`: internal names, never passed on. */
export const ENTITY_ERROR =
  'select * from village where id = $1 failed at http://10.0.0.9/_entities';

function rewrite(value: unknown, mode: Garble): unknown {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, mode));
  if (typeof value === 'number' && mode === 'stringNumbers') return String(value);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (mode === 'dropFields' && (typeof v === 'number' || typeof v === 'boolean')) continue;
    out[k] = rewrite(v, mode);
  }
  return out;
}

/** A subgraph's answer garbled as `mode` says (see Garble). */
export function garble(body: string, mode: Garble): string {
  const answer = JSON.parse(body) as { data?: Record<string, unknown> | null };
  if (mode === 'dataNull') return JSON.stringify({ data: null });
  if (mode === 'requestError') {
    // No data and an error naming no field, as a subgraph answers when it had no database
    // connection in time for the request.
    const error = {
      message: 'The database is busy.',
      extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
    };
    return JSON.stringify({ errors: [error] });
  }
  if (!answer.data) return body;
  if (mode === 'someEntities' || mode === 'pathlessErrors' || mode === 'nullEntities') {
    // Every other entity null, with an error at its path (or none): a subgraph failing some.
    const errors: unknown[] = [];
    for (const [key, items] of Object.entries(answer.data)) {
      if (!/^(_entities|_e\d+)$/.test(key) || !Array.isArray(items)) continue;
      items.forEach((_, i) => {
        if (i % 2 === 1) return;
        items[i] = null;
        const path = mode === 'someEntities' ? { path: [key, i] } : {};
        if (mode !== 'nullEntities')
          errors.push({ message: ENTITY_ERROR, ...path, extensions: { code: 'INTERNAL' } });
      });
    }
    return JSON.stringify(errors.length ? { ...answer, errors } : answer);
  }
  if (mode === 'dropEntity' || mode === 'swapEntities') {
    // `_entities`, and each of the default engine's batched fetches (`_e0: _entities(…)`).
    for (const [key, items] of Object.entries(answer.data)) {
      if (!/^(_entities|_e\d+)$/.test(key) || !Array.isArray(items) || items.length === 0) continue;
      if (mode === 'dropEntity') items.pop();
      else items.reverse();
    }
    return JSON.stringify(answer);
  }
  return JSON.stringify({ ...answer, data: rewrite(answer.data, mode) });
}

/** How long `slow` holds each answer: well within the gateways' subgraph timeout. */
export const SLOW_MS = 400;

export interface FaultProxy {
  url: string;
  /** What the proxy does with the next requests. */
  mode: FaultMode;
  /** Requests received, by operation kind of their body. */
  requests: { query: number; mutation: number };
  /** In `holdWrites`: the mutations held, each passed on when called. */
  held: (() => void)[];
  close: () => Promise<void>;
}

/**
 * A real HTTP hop between the gateway and one subgraph that can fail on demand: `down` resets
 * the connection (a dead process), `hang` never answers, `garbage` answers 200 with HTML,
 * `error500` answers 500, `error400` a GraphQL validation refusal, `error404` an HTML 404,
 * `slow` passes answers on after SLOW_MS, `holdWrites` passes queries on and holds mutations
 * until the test lets them go (`held`), as a subgraph that commits after the gateway gave up.
 * It counts what reaches it.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  const hung = new Set<import('node:http').ServerResponse>();
  const proxy: FaultProxy = {
    url: '',
    mode: 'pass',
    requests: { query: 0, mutation: 0 },
    held: [],
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
        case 'error400':
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              errors: [
                {
                  message: 'Cannot query field "secret" on type "Query". at /srv/app/schema.js',
                  extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
                },
              ],
            }),
          );
          return;
        case 'error404':
          res.writeHead(404, { 'content-type': 'text/html' });
          res.end('<html><body>404 Not Found: /srv/app</body></html>');
          return;
        case 'error500':
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('internal error at /srv/app/db.js:12 SELECT * FROM secrets');
          return;
        default: {
          if (proxy.mode === 'holdWrites' && isMutation) {
            proxy.held.push(() => forward('pass'));
            return;
          }
          if (proxy.mode === 'holdWrites') {
            forward('pass');
            return;
          }
          if (proxy.mode === 'slow') {
            const mode = proxy.mode;
            setTimeout(() => forward(mode), SLOW_MS);
            return;
          }
          forward(proxy.mode);
        }
      }
      function forward(mode: FaultMode) {
        const upstream = httpRequest(
          {
            host: targetUrl.hostname,
            port: targetUrl.port,
            path: targetUrl.pathname,
            method: req.method,
            headers: { ...req.headers, host: targetUrl.host },
          },
          (up) => {
            if (mode === 'pass' || mode === 'slow' || isMutation) {
              res.writeHead(up.statusCode ?? 502, up.headers);
              up.pipe(res);
              return;
            }
            const parts: Buffer[] = [];
            up.on('data', (c: Buffer) => parts.push(c));
            up.on('end', () => {
              const text = garble(Buffer.concat(parts).toString('utf8'), mode as Garble);
              res.writeHead(up.statusCode ?? 502, {
                'content-type': 'application/json; charset=utf-8',
                'content-length': Buffer.byteLength(text),
              });
              res.end(text);
            });
          },
        );
        upstream.on('error', () => req.socket.destroy());
        upstream.end(body);
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
