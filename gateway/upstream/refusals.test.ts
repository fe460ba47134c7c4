import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_REFUSAL_MESSAGE } from '../../contract/idempotency.js';
import { EXCERPT_CHARS, type OperationOptions } from './answers.js';
import { SubgraphDataSource, type SubgraphPolicy } from './datasource.js';
import { WRITE_UNKNOWN_NO_KEY_MESSAGE } from './unavailable.js';

/**
 * A subgraph's 4xx answers, against a real HTTP server standing in for it: only those it gives
 * for the caller (413, an Idempotency-Key refusal with the draft's status) reach the caller; any
 * other is the subgraph's fault, answered SUBGRAPH_UNAVAILABLE with nothing of the subgraph's.
 */
let answer = { status: 200, type: 'application/json', body: '{"data":{}}' };
let received = 0;
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(answer.status, { 'content-type': answer.type });
      res.end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise((r) => server.close(r)));

const policy: SubgraphPolicy = {
  timeoutMs: 2_000,
  retries: 2,
  backoffMs: 1,
  breaker: { failureThreshold: 2, resetMs: 60_000 },
  sharedSecret: 's'.repeat(32),
  dedupe: false,
  maxSockets: 4,
  maxRequestBytes: 100_000,
};

function source() {
  const logged: Record<string, unknown>[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  const s = new SubgraphDataSource({ subgraph: 'culture', url, policy, log });
  return { s, logged };
}

/** An entity fetch as the Rust runtime batches it: the gateway's own variable name. */
const ENTITIES =
  'query($__batch_reps_0: [_Any!]!) { _e0: _entities(representations: $__batch_reps_0) ' +
  '{ ... on Auditorium { name seats } } }';
const reps = { __batch_reps_0: ['a1', 'a2'].map((id) => ({ __typename: 'Auditorium', id })) };

function fetchOf(query: string, variables: Record<string, unknown> = {}, idempotencyKey?: string) {
  return {
    kind: 'incoming operation',
    request: { query, variables },
    context: { requestId: 'r-4xx', idempotencyKey },
    incomingRequestContext: {},
  } as unknown as OperationOptions;
}

const graphqlError = (message: string, code?: string) =>
  JSON.stringify({ errors: [{ message, ...(code ? { extensions: { code } } : {}) }] });

const JSON_TYPE = 'application/json; charset=utf-8';
const notForTheCaller = [
  {
    name: "a 400 for the gateway's own variables",
    status: 400,
    type: JSON_TYPE,
    body: graphqlError(
      'Variable "$__batch_reps_0" got invalid value; Expected type "_Any" at /srv/healthcare/src/index.ts',
      'BAD_USER_INPUT',
    ),
    leaks: ['__batch_reps_0', '/srv/'],
    counted: false,
  },
  {
    name: 'a 422 naming a table',
    status: 422,
    type: JSON_TYPE,
    body: graphqlError('relation "culture_internal.auditorium" does not exist'),
    leaks: ['culture_internal'],
    counted: true,
  },
  {
    name: 'a 400 validation error of a subgraph behind the supergraph',
    status: 400,
    type: JSON_TYPE,
    body: graphqlError(
      'Cannot query field "seats" on type "Auditorium".',
      'GRAPHQL_VALIDATION_FAILED',
    ),
    leaks: ['Cannot query', 'GRAPHQL_VALIDATION_FAILED'],
    counted: false,
  },
  {
    name: "a load balancer's 404 page",
    status: 404,
    type: 'text/html',
    body: '<html><body><h1>404 Not Found</h1>nginx/1.25.3</body></html>',
    leaks: ['nginx', 'refused'],
    counted: true,
  },
  {
    name: 'an Idempotency-Key code with a status not its own',
    status: 400,
    type: JSON_TYPE,
    body: graphqlError('reused at /srv/culture', 'IDEMPOTENCY_KEY_REUSED'),
    leaks: ['/srv/'],
    counted: true,
  },
];

describe("a subgraph's 4xx answers", () => {
  it.each(notForTheCaller)(
    // Counted by the breaker unless the subgraph's GraphQL server refused the fetch's document
    // or variables (answers.ts, documentRefusal): then it is up, and the fetch is at fault.
    '$name: SUBGRAPH_UNAVAILABLE at each affected field, not retried, logged (counted: $counted)',
    async ({ status, type, body, leaks, counted }) => {
      answer = { status, type, body };
      const { s, logged } = source();
      const before = received;
      for (let i = 0; i < 2; i++) {
        const result = await s.process(fetchOf(ENTITIES, reps));
        expect(result.errors?.map((e) => [e.path, e.extensions])).toEqual(
          [0, 1].flatMap((n) => [
            [['_e0', n, 'name'], { code: 'SUBGRAPH_UNAVAILABLE' }],
            [['_e0', n, 'seats'], { code: 'SUBGRAPH_UNAVAILABLE' }],
          ]),
        );
        const text = JSON.stringify(result);
        for (const leak of leaks) expect(text).not.toContain(leak);
        expect(text).not.toContain('http');
      }
      expect(received - before).toBe(2); // once per fetch: not retried
      expect(s.breaker.current).toBe(counted ? 'open' : 'closed');
      expect(logged.filter((l) => l.msg === 'subgraph fetch failed')).toEqual(
        [0, 1].map(() =>
          expect.objectContaining({ subgraph: 'culture', status, excerpt: body, retry: false }),
        ),
      );
      s.close();
    },
  );

  it('logs only the start of a long answer', async () => {
    answer = { status: 400, type: 'text/plain', body: 'x'.repeat(100_000) };
    const { s, logged } = source();
    await s.process(fetchOf('{ a }'));
    const excerpt = String(logged.find((l) => l.msg === 'subgraph fetch failed')?.excerpt);
    expect(excerpt.startsWith('x'.repeat(EXCERPT_CHARS))).toBe(true);
    expect(excerpt.length).toBeLessThan(EXCERPT_CHARS + 40);
    expect(excerpt).toContain('100000 characters');
    s.close();
  });

  it.each([
    [422, 'IDEMPOTENCY_KEY_REUSED'],
    [409, 'IDEMPOTENCY_KEY_IN_USE'],
  ])(
    'passes a %i %s refusal on with its status, in its own words, not counted',
    async (status, code) => {
      // The subgraph's own message, locations and extensions are not passed on.
      answer = {
        status,
        type: JSON_TYPE,
        body: JSON.stringify({
          errors: [
            {
              message: 'key refused at /srv/commerce/idempotency.ts: SELECT * FROM idempotency_key',
              locations: [{ line: 1, column: 12 }],
              path: ['w'],
              extensions: { code, stacktrace: ['at /srv/commerce/x.ts:1'] },
            },
          ],
        }),
      };
      const { s } = source();
      for (let i = 0; i < 3; i++) {
        const result = await s.process(fetchOf('mutation { w }', {}, 'key-1'));
        expect(result.errors).toEqual([
          {
            message: KEY_REFUSAL_MESSAGE[code],
            path: ['w'],
            extensions: { code, field: 'Idempotency-Key', http: { status } },
          },
        ]);
      }
      expect(s.breaker.current).toBe('closed');
      // A key refusal of a fetch that sent no key (a query; a write without one) is not the
      // caller's: it was passed on, a 409 to a query.
      for (const query of ['{ a }', 'mutation { w }']) {
        const result = await s.process(fetchOf(query));
        expect(result.errors?.map((e) => e.extensions)).toEqual([{ code: 'SUBGRAPH_UNAVAILABLE' }]);
      }
      s.close();
    },
  );

  it('takes a 422 with an Idempotency-Key code beside another as a failure', async () => {
    answer = {
      status: 422,
      type: JSON_TYPE,
      body: JSON.stringify({
        errors: [
          { message: 'reused', extensions: { code: 'IDEMPOTENCY_KEY_REUSED' } },
          { message: 'column "secret_col" missing', extensions: { code: 'INTERNAL' } },
        ],
      }),
    };
    const { s } = source();
    const result = await s.process(fetchOf('mutation { w }'));
    expect(result.errors?.map((e) => [e.path, e.extensions, e.message])).toEqual([
      [['w'], { code: 'SUBGRAPH_UNAVAILABLE' }, WRITE_UNKNOWN_NO_KEY_MESSAGE],
    ]);
    s.close();
  });

  it("answers a subgraph's 413 as today: SUBGRAPH_REQUEST_TOO_LARGE, not counted", async () => {
    answer = { status: 413, type: 'text/plain', body: 'Request Entity Too Large' };
    const { s } = source();
    const before = received;
    for (let i = 0; i < 3; i++) {
      const result = await s.process(fetchOf('{ a b }'));
      expect(result.errors?.map((e) => [e.path, e.extensions])).toEqual([
        [['a'], { code: 'SUBGRAPH_REQUEST_TOO_LARGE', http: { status: 413 } }],
        [['b'], { code: 'SUBGRAPH_REQUEST_TOO_LARGE', http: { status: 413 } }],
      ]);
    }
    expect(received - before).toBe(3);
    expect(s.breaker.current).toBe('closed');
    s.close();
  });
});
