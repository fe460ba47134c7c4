import { describe, expect, it } from 'vitest';
import { BodyTooLargeError } from '../http.js';
import { RequestRejection } from '../operations/limits.js';
import { body, MAX_JSON_DEPTH } from './body.js';
import { pipelineDeps, request, requestState } from './fixtures.js';

const deps = pipelineDeps({}, { MAX_BODY_BYTES: '64' });

describe('body stage', () => {
  it('parses a POST body as JSON, a batch as an array', async () => {
    const one = requestState(request({ body: '{"query":"{ a }"}' }));
    await body(one, deps);
    expect(one.raw).toEqual({ query: '{ a }' });
    const batch = requestState(request({ body: '[{"query":"{ a }"},{"query":"{ b }"}]' }));
    await body(batch, deps);
    expect(batch.raw).toHaveLength(2);
  });

  it('refuses malformed JSON with 400 and a body over the limit with 413', async () => {
    const bad = body(requestState(request({ body: '{"query": ' })), deps);
    await expect(bad).rejects.toMatchObject({ status: 400, message: 'Malformed JSON body.' });
    const big = body(
      requestState(request({ body: JSON.stringify({ query: 'x'.repeat(100) }) })),
      deps,
    );
    await expect(big).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it.each<Record<string, string>>([
    { 'content-encoding': 'gzip' },
    { 'content-encoding': 'deflate' },
    { 'content-encoding': 'BR' },
    { 'content-encoding': 'x-unknown' },
    { 'content-encoding': 'identity, gzip' },
    { 'content-type': 'application/json; charset=latin1' },
    { 'content-type': 'application/json; charset="ISO-8859-1"' },
    { 'content-type': 'application/json;charset=utf-16' },
  ])('refuses a body sent with %j: 415 BAD_REQUEST, nothing read', async (headers) => {
    const state = requestState(request({ headers, body: '{"query":"{ a }"}' }));
    await expect(body(state, deps)).rejects.toMatchObject({ status: 415, code: 'BAD_REQUEST' });
    expect(state.raw).toBeUndefined();
  });

  it.each([
    'application/xml',
    'image/png',
    'application/graphql', // a GraphQL document as the body: "Malformed JSON body." misled
    'application/x-json',
    ';;;==',
    'text/plain', // with a preflight header, past CSRF prevention
  ])(
    'refuses a POST body declared as %s: 415, as /exports/villages, nothing read',
    async (type) => {
      const state = requestState(
        request({ headers: { 'content-type': type }, body: '{"query":"{ a }"}' }),
      );
      await expect(body(state, deps)).rejects.toMatchObject({
        status: 415,
        code: 'BAD_REQUEST',
        message: 'Send a JSON body (application/json).',
      });
      expect(state.raw).toBeUndefined();
    },
  );

  it('reads UTF-8 (any spelling), identity, and a body after a byte order mark', async () => {
    for (const headers of [
      { 'content-encoding': 'identity' } as Record<string, string>,
      { 'content-type': 'application/json; charset=UTF-8' },
      { 'content-type': 'application/json; charset="utf8"' },
      { 'content-type': 'application/json; charset=US-ASCII' }, // a subset of UTF-8
    ]) {
      const state = requestState(request({ headers, body: '{"query":"{ a }"}' }));
      await body(state, deps);
      expect(state.raw).toEqual({ query: '{ a }' });
    }
    const bom = requestState(request({ body: '\uFEFF{"query":"{ a }"}' }));
    await body(bom, deps);
    expect(bom.raw).toEqual({ query: '{ a }' });
  });

  it('refuses a body that is not UTF-8 (400), rather than reading its bytes as U+FFFD', async () => {
    for (const bytes of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]) {
      const raw = Buffer.concat([
        Buffer.from('{"query":"{ a(name: \\"x'),
        Buffer.from(bytes),
        Buffer.from('\\") }"}'),
      ]);
      const state = requestState(request({ body: raw }));
      await expect(body(state, deps)).rejects.toMatchObject({
        status: 400,
        code: 'BAD_REQUEST',
        message: 'The body is not valid UTF-8.',
      });
    }
    const fine = requestState(request({ body: Buffer.from('{"query":"{ a(n: \\"村\\") }"}') }));
    await body(fine, deps);
    expect(fine.raw).toEqual({ query: '{ a(n: "村") }' });
  });

  it('reads a GET from its parameters, refusing variables that are not JSON', async () => {
    const url = '/graphql?query=%7B%20a%20%7D&operationName=A&variables=%7B%22x%22%3A1%7D';
    const get = requestState(request({ method: 'GET', url }));
    await body(get, deps);
    expect(get.raw).toEqual({ query: '{ a }', operationName: 'A', variables: { x: 1 } });
    const broken = requestState(request({ method: 'GET', url: '/graphql?query=x&variables=%7B' }));
    await expect(body(broken, deps)).rejects.toBeInstanceOf(RequestRejection);
  });

  it('reads a GET’s documentId as a POST’s, and refuses a parameter given twice', async () => {
    // Left out, `?documentId=` alone was "no GraphQL document" and `?query=A&documentId=B` ran
    // A unchecked; a second `query` was dropped unread, where a proxy may have read that one.
    const byId = requestState(request({ method: 'GET', url: '/graphql?documentId=sha256%3Aab' }));
    await body(byId, deps);
    expect(byId.raw).toEqual({ documentId: 'sha256:ab' });
    for (const name of ['query', 'operationName', 'variables', 'extensions', 'documentId']) {
      const url = `/graphql?query=%7B%20a%20%7D&${name}=%7B%7D&${name}=%7B%7D`;
      await expect(body(requestState(request({ method: 'GET', url })), deps)).rejects.toMatchObject(
        { status: 400, code: 'BAD_REQUEST', message: `Give \`${name}\` once.` },
      );
    }
  });

  it('refuses JSON nested deeper than MAX_JSON_DEPTH, in a body or a GET parameter', async () => {
    const wide = pipelineDeps({}, { MAX_BODY_BYTES: '2000000' });
    const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
    // The body object and `variables` are two levels; `x` holds the rest.
    const post = (levels: number) =>
      requestState(request({ body: `{"query":"{ a }","variables":{"x":${nested(levels)}}}` }));
    await body(post(MAX_JSON_DEPTH - 2), wide);
    const deep = { status: 400, code: 'BAD_REQUEST', message: expect.stringMatching(/deeper/) };
    await expect(body(post(MAX_JSON_DEPTH - 1), wide)).rejects.toMatchObject(deep);
    // Far deeper (it overflowed the stack where the response cache serialised variables: 500).
    await expect(body(post(400_000), wide)).rejects.toMatchObject(deep);
    const url = `/graphql?query=x&variables=${encodeURIComponent(`{"x":${nested(100)}}`)}`;
    await expect(body(requestState(request({ method: 'GET', url })), wide)).rejects.toMatchObject(
      deep,
    );
  });

  it('takes an internal request’s body as given, reading nothing', async () => {
    const req = request({ body: 'not json' });
    const state = requestState(req, { internal: { body: { query: '{ b }' } } });
    await body(state, deps);
    expect(state.raw).toEqual({ query: '{ b }' });
  });
});
