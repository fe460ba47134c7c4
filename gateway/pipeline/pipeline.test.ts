import type { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../auth/auth.js';
import { apolloOver, partner, pipelineDeps, request } from './fixtures.js';
import { createPipeline, OPERATION_STAGES, REQUEST_STAGES } from './pipeline.js';
import type { PipelineDeps, RequestContext } from './types.js';

let apollo: ApolloServer<RequestContext>;
let deps: PipelineDeps;
beforeAll(async () => {
  apollo = await apolloOver({ provinces: () => [{ code: '33', name: '浙江省' }] });
  deps = pipelineDeps({ apollo }, { MAX_BATCH_SIZE: '3' });
});
afterAll(() => apollo.stop());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  request({ body: JSON.stringify(body), headers });
const run = (d: PipelineDeps, req = post({ query: '{ provinces { code } }' })) =>
  createPipeline(d)(req, 'r1', {});

describe('the pipeline', () => {
  it('runs its stages in the documented order', () => {
    expect(REQUEST_STAGES.map((s) => s.name)).toEqual([
      'transport',
      'credentials',
      'slots',
      'quota',
      'body',
      'admit',
    ]);
    expect(OPERATION_STAGES.map((s) => s.name)).toEqual([
      'operation',
      'document',
      'conditions',
      'cost',
      'authorization',
      'responseCache',
      'execute',
    ]);
  });

  it('answers an operation, and a batch in its order with a refused one in its place', async () => {
    expect(JSON.parse((await run(deps)).body)).toEqual({ data: { provinces: [{ code: '33' }] } });
    const batch = await run(
      deps,
      post([
        { query: '{ provinces { name } }' },
        { query: 7 },
        { query: '{ provinces { code } }' },
      ]),
    );
    expect(batch.status).toBe(200);
    const [first, second, third] = JSON.parse(batch.body);
    expect(first.data.provinces[0].name).toBe('浙江省');
    expect(second.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(third.data.provinces[0].code).toBe('33');
  });

  it('bounds batches, counting each operation against the quota', async () => {
    const four = Array.from({ length: 4 }, () => ({ query: '{ provinces { code } }' }));
    const over = await run(deps, post(four));
    expect(over.status).toBe(400);
    expect(JSON.parse(over.body).errors[0]).toMatchObject({
      message: 'A batch holds at most 3 operations.',
      extensions: { code: 'BATCH_TOO_LARGE' },
    });
    const empty = await run(deps, post([]));
    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.body).errors[0]).toMatchObject({
      message: 'An empty batch.',
      extensions: { code: 'BAD_REQUEST' },
    });
    const off = pipelineDeps({ apollo }, { MAX_BATCH_SIZE: '0' });
    const refused = await run(off, post(four.slice(0, 2)));
    expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('BATCHING_NOT_ALLOWED');
    const limited = { ...partner, id: `key:${Math.random()}`, quota: { perMinute: 2, perDay: 0 } };
    const quota = pipelineDeps(
      { apollo, authenticate: async () => limited },
      { MAX_BATCH_SIZE: '3' },
    );
    // Three operations never fit in a minute of two: too large, not a 429 to retry for ever.
    const never = await run(quota, post(four.slice(0, 3)));
    expect([never.status, JSON.parse(never.body).errors[0].extensions.code]).toEqual([
      400,
      'BATCH_TOO_LARGE',
    ]);
    expect((await run(quota, post(four.slice(0, 1)))).status).toBe(200);
    expect((await run(quota, post(four.slice(0, 2)))).status).toBe(429);
    // The refused batches counted nowhere: the minute's second unit is still there.
    expect((await run(quota, post(four.slice(0, 1)))).status).toBe(200);
    expect((await run(quota, post(four.slice(0, 1)))).status).toBe(429);
  });

  it('turns rejections into their replies: 401 with a challenge, 400 with a code', async () => {
    const bad = pipelineDeps({
      apollo,
      authenticate: async () => {
        throw new AuthError('INVALID_CREDENTIALS', 'Unknown API key.');
      },
    });
    const unauthorized = await run(bad);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers['www-authenticate']).toMatch(/Bearer/);
    const invalid = await run(deps, post({ query: '{ provinces { cod } }' }));
    expect(invalid.status).toBe(400);
    const error = JSON.parse(invalid.body).errors[0];
    expect(error.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error.message).not.toMatch(/Did you mean/);
  });

  it('strips "did you mean" from every error of callers who may not introspect', async () => {
    // Variable coercion errors come from execution, not from the document stage.
    const query = 'query Q($f: VillageFilter) { villages(filter: $f) { edges { node { code } } } }';
    const reply = await run(deps, post({ query, variables: { f: { regionCod: '33' } } }));
    expect(reply.body).not.toMatch(/Did you mean/);
    expect(JSON.parse(reply.body).errors[0].message).toMatch(/regionCod/);
    const hinting = pipelineDeps({ apollo }, { FIELD_SUGGESTIONS: 'true' });
    const hinted = await run(hinting, post({ query, variables: { f: { regionCod: '33' } } }));
    expect(hinted.body).toMatch(/Did you mean \\"regionCode\\"/);
  });

  it('runs an export page built from a trusted document for a trusted-documents-only caller', async () => {
    const locked = { ...partner, trustedDocumentsOnly: true };
    const d = pipelineDeps({ apollo, authenticate: async () => locked });
    const body = { query: '{ provinces { code } }' };
    const asked = await createPipeline(d)(request(), 'r1', {}, { body });
    expect(JSON.parse(asked.body).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    const trusted = await createPipeline(d)(request(), 'r1', {}, { body, fromTrusted: true });
    expect(JSON.parse(trusted.body).data.provinces).toHaveLength(1);
  });

  it('answers in the media type the caller prefers, refusals included (GraphQL over HTTP)', async () => {
    const GRAPHQL_RESPONSE = 'application/graphql-response+json; charset=utf-8';
    const cases: [string | undefined, string][] = [
      [undefined, 'application/json; charset=utf-8'],
      ['application/json', 'application/json; charset=utf-8'],
      ['*/*', 'application/json; charset=utf-8'],
      ['application/graphql-response+json', GRAPHQL_RESPONSE],
      ['application/graphql-response+json, application/json;q=0.9', GRAPHQL_RESPONSE],
      ['application/json;q=0.5, application/graphql-response+json', GRAPHQL_RESPONSE],
    ];
    const bodies = [{ query: '{ provinces { code } }' }, { query: '{ nope }' }, { query: 7 }];
    for (const [accept, type] of cases) {
      const statuses: number[] = [];
      for (const body of bodies) {
        const reply = await run(deps, post(body, accept ? { accept } : {}));
        expect(reply.headers['content-type'], `${accept} ${JSON.stringify(body)}`).toBe(type);
        expect(reply.headers.vary).toBe('Accept');
        statuses.push(reply.status);
      }
      expect(statuses).toEqual([200, 400, 400]);
    }
  });
});
