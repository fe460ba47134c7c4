import { createRequire } from 'node:module';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from './logger.js';
import { createSubgraphMetrics } from './metrics.js';
import { createSubgraphServer, type RunningServer } from './server.js';

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
});
