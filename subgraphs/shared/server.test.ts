import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutAsyncContext } from '../../test/support/async-context.js';
import { IDENTITY_HEADER, signIdentity } from '../../contract/identity.js';
import type { Logger } from './logger.js';
import { createSubgraphMetrics } from './metrics.js';
import { createSubgraphServer, type RunningServer, type SubgraphServerDeps } from './server.js';

// Apollo Server loads graphql's CommonJS build; a schema from the ESM build would be foreign to it.
const { GraphQLObjectType, GraphQLSchema, GraphQLString } = createRequire(import.meta.url)(
  'graphql',
) as typeof import('graphql');

const lines: Record<string, unknown>[] = [];
const logger = pino(
  { level: 'debug' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  }),
);

// A schema of two fields: one that logs through the request's logger, one that fails.
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      greeting: {
        type: GraphQLString,
        resolve: (_s, _a, ctx: { log: Logger }) => {
          ctx.log.info('resolving greeting');
          return 'hello';
        },
      },
      broken: {
        type: GraphQLString,
        resolve: () => {
          throw new Error('connection to 10.0.0.7 refused');
        },
      },
    },
  }),
});

/** A server of the schema above, with the request-scoped logger, and `extra` settings. */
const testServer = (name: string, extra: Partial<SubgraphServerDeps<{ log: Logger }>>) =>
  createSubgraphServer({
    name,
    schema,
    logger,
    createContext: (req) => ({ log: logger.child({ requestId: req.requestId }) }),
    ready: async () => {},
    ...extra,
  }).listen(0);

let server: RunningServer;
beforeAll(async () => {
  server = await createSubgraphServer({
    name: 'test',
    schema,
    logger,
    metrics: createSubgraphMetrics('test'),
    // As the subgraphs' own createContext does: a child logger bound to the request id.
    createContext: (req) => ({ log: logger.child({ requestId: req.requestId }) }),
    ready: async () => {},
  }).listen(0);
});
afterAll(() => server?.close());

async function post(query: string, requestId?: string) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(requestId ? { 'x-request-id': requestId } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return { requestId: res.headers.get('x-request-id'), body: await res.json() };
}

describe('subgraph server logs', () => {
  it('writes the request id on every line logged while answering a request', async () => {
    lines.length = 0;
    const res = await post('{ greeting broken }', 'log-test-1');
    expect(res.requestId).toBe('log-test-1');
    expect(res.body).toEqual({
      data: { greeting: 'hello', broken: null },
      errors: [
        {
          message: 'Internal server error',
          path: ['broken'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'log-test-1' },
        },
      ],
    });
    expect(lines.map((l) => l.msg)).toEqual(['resolving greeting', 'unexpected resolver error']);
    expect(lines.every((l) => l.requestId === 'log-test-1')).toBe(true);
    // The original error stays in the log, never in the response.
    expect(JSON.stringify(lines[1])).toContain('10.0.0.7');
  });

  it('makes up a request id when the caller sends none or an unusable one', async () => {
    const none = await post('{ greeting }');
    expect(none.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const odd = await post('{ greeting }', 'bad id; with spaces');
    expect(odd.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves Prometheus metrics', async () => {
    const res = await fetch(new URL('/metrics', server.url));
    const text = await res.text();
    expect(text).toMatch(/^subgraph_graphql_requests_total\{.*outcome="partial".*\} 1$/m);
  });

  it('logs ten unexpected errors of a request one by one, then one line counting them all', async () => {
    lines.length = 0;
    const fields = Array.from({ length: 500 }, (_, i) => `b${i}: broken`).join(' ');
    const res = await post(`{ ${fields} }`, 'log-flood-1');
    expect(res.body.errors).toHaveLength(500);
    expect(lines.map((l) => l.msg)).toEqual([
      ...Array(10).fill('unexpected resolver error'),
      'more unexpected resolver errors in this request than are logged one by one',
    ]);
    expect(lines.at(-1)).toMatchObject({ requestId: 'log-flood-1', unexpected: 500, logged: 10 });
    // The next request logs its own again.
    lines.length = 0;
    await post('{ broken }', 'log-flood-2');
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([
      ['unexpected resolver error', 'log-flood-2'],
    ]);
  });

  it('answers without any AsyncLocalStorage, so promise hooks stay off', async () => {
    const res = await withoutAsyncContext(() => post('{ greeting broken }', 'no-als-1'));
    expect(res.body.errors[0].extensions.requestId).toBe('no-als-1');
  });

  it('masks a context that failed to build, with the request id, logged once', async () => {
    const failing = await createSubgraphServer({
      name: 'test',
      schema,
      logger,
      createContext: () => {
        throw new Error('pool exhausted at 10.0.0.8');
      },
      ready: async () => {},
    }).listen(0);
    try {
      lines.length = 0;
      const res = await fetch(failing.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'ctx-fail-1' },
        body: JSON.stringify({ query: '{ greeting }' }),
      });
      const body = (await res.json()) as { errors: { message: string; extensions: object }[] };
      expect(body.errors).toEqual([
        {
          message: 'Internal server error',
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'ctx-fail-1' },
        },
      ]);
      expect(JSON.stringify(body)).not.toContain('10.0.0.8');
      const logged = lines.filter((l) => l.msg === 'unexpected resolver error');
      expect(logged).toHaveLength(1);
      expect(logged[0].requestId).toBe('ctx-fail-1');
      expect(JSON.stringify(logged[0])).toContain('10.0.0.8');
    } finally {
      await failing.close();
    }
  });
});

describe('subgraph server body limit', () => {
  let small: RunningServer;
  beforeAll(async () => {
    small = await testServer('small', { maxBodyBytes: 1_024 });
  });
  afterAll(() => small?.close());

  /** One POST over `agent`; rejects after 5 s (a connection left out of step never answers). */
  function send(agent: Agent, body: string, chunked = false) {
    return new Promise<{ status: number; headers: IncomingHttpHeaders; text: string }>(
      (resolve, reject) => {
        const req = request(small.url, {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            ...(chunked ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
          },
          timeout: 5_000,
        });
        req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
        req.on('error', reject);
        req.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
        });
        if (chunked) {
          // Sent in pieces without a length: the limit is found while reading.
          for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.slice(i, i + 64 * 1024));
          req.end();
        } else req.end(body);
      },
    );
  }

  it.each([
    ['declared', false],
    ['chunked', true],
  ])(
    'answers an oversized body (%s) with 413 and keeps the connection usable',
    async (_kind, chunked) => {
      // One keep-alive socket for everything: a body left half-read would wedge the next request.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const big = JSON.stringify({ query: '{ greeting }', pad: '\\'.repeat(2_000_000) });
        for (let round = 0; round < 3; round++) {
          const refused = await send(agent, big, chunked);
          expect(refused.status).toBe(413);
          expect(refused.headers.connection).toBe('close');
          expect(JSON.parse(refused.text).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
          const ok = await send(agent, JSON.stringify({ query: '{ greeting }' }));
          expect(ok.status).toBe(200);
          expect(JSON.parse(ok.text)).toEqual({ data: { greeting: 'hello' } });
        }
      } finally {
        agent.destroy();
      }
    },
  );
});

describe('a subgraph that answers its gateway only (outside development)', () => {
  const secret = 'k'.repeat(40);
  let guarded: RunningServer;
  beforeAll(async () => {
    guarded = await testServer('guarded', { gatewaySharedSecret: secret, requireIdentity: true });
  });
  afterAll(() => guarded?.close());

  const ask = (headers: Record<string, string>, url = guarded.url) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ greeting }' }),
    });
  const caller = { id: 'anon:1', kind: 'anonymous', scopes: [] };

  it('refuses a request without the signed identity, or with one signed by another key', async () => {
    const forged = { [IDENTITY_HEADER]: signIdentity(caller, 'x'.repeat(40)) };
    for (const headers of [{}, forged] as Record<string, string>[]) {
      const res = await ask(headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        errors: [
          {
            message: 'This service answers its gateway only.',
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      });
    }
  });

  it('answers what the gateway signed, and its health without a signature', async () => {
    const res = await ask({ [IDENTITY_HEADER]: signIdentity(caller, secret) });
    expect(await res.json()).toEqual({ data: { greeting: 'hello' } });
    expect((await fetch(new URL('/healthz', guarded.url))).status).toBe(200);
  });

  it('accepts the previous secret too while it is rotated, and no other', async () => {
    const previous = 'p'.repeat(40);
    const rotating = await testServer('rotating', {
      gatewaySharedSecret: secret,
      gatewayPreviousSecret: previous,
      requireIdentity: true,
    });
    const status = async (key: string, url = rotating.url) =>
      (await ask({ [IDENTITY_HEADER]: signIdentity(caller, key) }, url)).status;
    try {
      const statuses = [await status(secret), await status(previous), await status('x'.repeat(40))];
      expect(statuses).toEqual([200, 200, 401]);
      // Once the rotation is over (no previous secret), the old one is refused.
      expect(await status(previous, guarded.url)).toBe(401);
    } finally {
      await rotating.close();
    }
  });
});
