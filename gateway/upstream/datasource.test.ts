import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER } from '../../contract/identity.js';
import type { GatewayContext } from '../context.js';
import type { OperationOptions } from './answers.js';
import { SubgraphDataSource, type SubgraphPolicy } from './datasource.js';

/**
 * The layers composed, against a real HTTP server standing in for a subgraph: each request is
 * recorded and answered by `answer` (a status and body), after `delayMs`.
 */
const received: { headers: IncomingMessage['headers']; body: string }[] = [];
let answer: { status: number; body: string; delayMs?: number } = { status: 200, body: '' };
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const { status, body: out, delayMs = 0 } = answer;
      setTimeout(() => {
        res.writeHead(status, {
          'content-type': 'application/json',
          'cache-control': 'max-age=30',
        });
        res.end(out);
      }, delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise((r) => server.close(r)));

const policy: SubgraphPolicy = {
  timeoutMs: 2_000,
  retries: 0,
  backoffMs: 1,
  breaker: { failureThreshold: 2, resetMs: 60_000 },
  sharedSecret: 's'.repeat(32),
  dedupe: true,
  maxSockets: 4,
  maxRequestBytes: 2_000,
};
const source = (p: Partial<SubgraphPolicy> = {}) =>
  new SubgraphDataSource({
    subgraph: 'culture',
    url,
    policy: { ...policy, ...p },
    log: pino({ level: 'silent' }),
  });

function fetchOf(query: string, context: GatewayContext, variables: Record<string, unknown> = {}) {
  const restricted: unknown[] = [];
  const options = {
    kind: 'incoming operation',
    request: { query, variables },
    context,
    incomingRequestContext: {
      overallCachePolicy: { restrict: (h: unknown) => restricted.push(h) },
    },
  } as unknown as OperationOptions;
  return { options, restricted };
}

const caller = {
  kind: 'api-key' as const,
  id: 'key:1',
  authenticated: true,
  scopes: ['culture:write'],
  quota: { perMinute: 0, perDay: 0 },
  trustedDocumentsOnly: false,
};

describe('subgraph data source (layers composed)', () => {
  it('sends a signed, traced fetch and passes the cache hint on', async () => {
    answer = { status: 200, body: '{"data":{"a":1}}' };
    const s = source();
    const { options, restricted } = fetchOf('{ a }', {
      requestId: 'r1',
      identity: caller,
      subgraphs: new Set(),
    });
    expect(await s.process(options)).toEqual({ data: { a: 1 } });
    const last = received.at(-1)!;
    expect(last.headers['x-request-id']).toBe('r1');
    expect(last.headers[IDENTITY_HEADER]).toMatch(/^v1\./);
    expect(options.context.subgraphs).toEqual(new Set(['culture']));
    expect(restricted).toEqual([{ maxAge: 30 }]);
    s.close();
  });

  it('shares identical concurrent queries, never mutations, and keys only mutations', async () => {
    answer = { status: 200, body: '{"data":{"a":1}}', delayMs: 50 };
    const s = source();
    const before = received.length;
    const context = { requestId: 'r2', identity: caller, idempotencyKey: 'k-1' };
    await Promise.all([
      s.process(fetchOf('{ a }', context).options),
      s.process(fetchOf('{ a }', context).options),
    ]);
    expect(received.length - before).toBe(1);
    expect(received.at(-1)!.headers['idempotency-key']).toBeUndefined();
    const write = 'mutation { w }';
    await Promise.all([
      s.process(fetchOf(write, context).options),
      s.process(fetchOf(write, context).options),
    ]);
    expect(received.length - before).toBe(3);
    expect(received.at(-1)!.headers['idempotency-key']).toBe('k-1');
    s.close();
  });

  it('never shares a fetch that began before a write with a read that starts after it', async () => {
    const s = source();
    const context = { requestId: 'r-w', identity: caller };
    const before = received.length;
    // A slow read in flight; a write through this gateway is answered; the same read again.
    answer = { status: 200, body: '{"data":{"a":"old"}}', delayMs: 400 };
    const slow = s.process(fetchOf('{ a }', context).options);
    while (received.length === before) await new Promise((r) => setTimeout(r, 5));
    answer = { status: 200, body: '{"data":{"a":"new"}}' };
    await s.process(fetchOf('mutation { w }', context).options);
    expect(await s.process(fetchOf('{ a }', context).options)).toEqual({ data: { a: 'new' } });
    expect(await slow).toEqual({ data: { a: 'old' } });
    expect(received.length - before).toBe(3);
    s.close();
  });

  it('marks a mutation fetch as a write in flight until it has answered, failed or not', async () => {
    const events: string[] = [];
    const s = new SubgraphDataSource({
      subgraph: 'culture',
      url,
      policy,
      log: pino({ level: 'silent' }),
      beginWrite: async (subgraph) => {
        events.push(`begin ${subgraph} after ${received.length}`);
        return async () => void events.push(`end after ${received.length}`);
      },
    });
    const context = { requestId: 'r-m', identity: caller };
    const n = received.length;
    answer = { status: 200, body: '{"data":{"w":true}}' };
    await s.process(fetchOf('{ a }', context).options); // a read is no write
    await s.process(fetchOf('mutation { w }', context).options);
    answer = { status: 500, body: 'down' };
    await s.process(fetchOf('mutation { w }', context).options);
    expect(events).toEqual([
      `begin culture after ${n + 1}`,
      `end after ${n + 2}`,
      `begin culture after ${n + 2}`,
      `end after ${n + 3}`,
    ]);
    s.close();
  });

  it('tells a write it never sent (nothing listens) from one it got no answer to', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r)); // the port now refuses connections
    const context = { requestId: 'r-w', identity: caller, idempotencyKey: 'k-w' };
    const down = new SubgraphDataSource({
      ...{ subgraph: 'culture', policy, log: pino({ level: 'silent' }) },
      url: `http://127.0.0.1:${port}/graphql`,
    });
    const refused = await down.process(fetchOf('mutation { w }', context).options);
    expect(refused.errors?.[0].message).toMatch(/not sent, and nothing was written/);
    down.close();
    answer = { status: 200, body: '{"data":{"w":true}}', delayMs: 300 };
    const slow = source({ timeoutMs: 50 });
    const timedOut = await slow.process(fetchOf('mutation { w }', context).options);
    expect(timedOut.errors?.[0].message).toMatch(/may or may not have been applied/);
    slow.close();
  });

  it('never shares a fetch with a read of record (an export page)', async () => {
    answer = { status: 200, body: '{"data":{"a":1}}', delayMs: 50 };
    const s = source();
    const before = received.length;
    const shared = { requestId: 'r-s', identity: caller };
    const own = { ...shared, ownFetches: true };
    await Promise.all([shared, own, own].map((c) => s.process(fetchOf('{ a }', c).options)));
    expect(received.length - before).toBe(3);
    s.close();
  });

  it('shares a fetch only between requests that saw the same cache generation', async () => {
    answer = { status: 200, body: '{"data":{"a":1}}', delayMs: 50 };
    const s = source();
    const seen = (culture: number) => ({
      requestId: 'r-g',
      identity: caller,
      cacheGenerations: { culture, places: 7 },
    });
    const before = received.length;
    await Promise.all([1, 1, 2].map((g) => s.process(fetchOf('{ a }', seen(g)).options)));
    // Generation 2 was bumped by another replica's write: its read is not the older fetch's.
    expect(received.length - before).toBe(2);
    s.close();
  });

  it('does not send a fetch over the size limit: 413 at the fields it was to provide', async () => {
    const s = source();
    const before = received.length;
    const { options } = fetchOf('{ a b }', { requestId: 'r3' }, { v: 'x'.repeat(3_000) });
    const result = await s.process(options);
    expect(received.length).toBe(before);
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['a'], 'SUBGRAPH_REQUEST_TOO_LARGE'],
      [['b'], 'SUBGRAPH_REQUEST_TOO_LARGE'],
    ]);
    s.close();
  });

  it('answers SUBGRAPH_UNAVAILABLE with no address, then refuses at once when the breaker opens', async () => {
    answer = { status: 500, body: 'boom' };
    const s = source();
    for (let i = 0; i < 2; i++) {
      const result = await s.process(fetchOf('{ a }', { requestId: `r${i}` }).options);
      expect(result.errors?.[0].extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
      expect(JSON.stringify(result)).not.toContain('127.0.0.1');
    }
    expect(s.breaker.current).toBe('open');
    const before = received.length;
    await s.process(fetchOf('{ a }', { requestId: 'r9' }).options);
    expect(received.length).toBe(before);
    s.close();
  });

  it('cuts an answer longer than maxResponseBytes: unavailable, not retried', async () => {
    // 3 MB of valid JSON against a 1 MB limit.
    answer = { status: 200, body: `{"data":{"a":"${'x'.repeat(3_000_000)}"}}` };
    const s = source({ maxResponseBytes: 1_000_000, retries: 2 });
    const before = received.length;
    const result = await s.process(fetchOf('{ a }', { requestId: 'r-big' }).options);
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(received.length - before).toBe(1);
    answer = { status: 200, body: '{"data":{"a":"small"}}' };
    expect(await s.process(fetchOf('{ a }', { requestId: 'r-small' }).options)).toEqual({
      data: { a: 'small' },
    });
    s.close();
  });

  it('takes a subgraph refusing the gateway’s identity (401, 403) as unavailable, not the caller’s 401', async () => {
    for (const status of [401, 403]) {
      answer = {
        status,
        body: '{"errors":[{"message":"This service answers its gateway only.","extensions":{"code":"UNAUTHENTICATED"}}]}',
      };
      const s = source({ retries: 2 });
      const before = received.length;
      for (let i = 0; i < 2; i++) {
        const result = await s.process(fetchOf('{ a }', { requestId: `r-id${i}` }).options);
        expect(result.errors?.map((e) => e.extensions)).toEqual([{ code: 'SUBGRAPH_UNAVAILABLE' }]);
      }
      expect(received.length - before).toBe(2); // not retried
      expect(s.breaker.current).toBe('open');
      s.close();
    }
  });

  it('passes a subgraph’s 4xx errors and status on, without tripping the breaker', async () => {
    answer = {
      status: 422,
      body: '{"errors":[{"message":"reused","extensions":{"code":"IDEMPOTENCY_KEY_REUSED"}}]}',
    };
    const s = source();
    for (let i = 0; i < 3; i++) {
      const context = { requestId: 'r', idempotencyKey: 'k' };
      const result = await s.process(fetchOf('mutation { w }', context).options);
      expect(result.errors?.[0].extensions).toEqual({
        code: 'IDEMPOTENCY_KEY_REUSED',
        field: 'Idempotency-Key',
        http: { status: 422 },
      });
    }
    expect(s.breaker.current).toBe('closed');
    s.close();
  });
});
