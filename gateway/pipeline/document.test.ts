import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { INTROSPECT_SCOPE } from '../auth/auth.js';
import { createDocumentResolver } from '../operations/documents.js';
import type { RequestRejection } from '../operations/limits.js';
import { document } from './document.js';
import { anonymous, operationState, pipelineDeps } from './fixtures.js';
import type { OperationState, PipelineDeps } from './types.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const rejection = (op: OperationState, deps: PipelineDeps) => {
  try {
    document(op, deps);
  } catch (err) {
    return err as RequestRejection;
  }
  throw new Error('not rejected');
};
const withBody = (body: Record<string, unknown>, extra: Partial<OperationState> = {}) =>
  operationState(body, { body, ...extra });

describe('document stage', () => {
  it('parses and validates the text, and records its hash', () => {
    const deps = pipelineDeps();
    const query = '{ provinces { code } }';
    const op = withBody({ query });
    document(op, deps);
    expect(op.hash).toBe(sha256(query));
    expect(op.audit.documentHash).toBe(sha256(query));
    expect(op.doc?.kind).toBe('Document');
    expect(op.privileged).toBe(false);
  });

  it('answers 503 before a supergraph is served', () => {
    const deps = pipelineDeps({ current: () => undefined });
    expect(rejection(withBody({ query: '{ provinces { code } }' }), deps)).toMatchObject({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
    });
  });

  it('keeps "did you mean" hints for callers who may introspect only', () => {
    const deps = pipelineDeps();
    const query = '{ provinces { cod } }';
    const plain = rejection(withBody({ query }), deps);
    expect(plain.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(plain.errors?.[0].message).not.toMatch(/Did you mean/);
    const scoped = { ...anonymous, scopes: [INTROSPECT_SCOPE] };
    const hinted = rejection(withBody({ query }, { identity: scoped }), deps);
    expect(hinted.errors?.[0].message).toMatch(/Did you mean "code"/);
  });

  it('runs only registered operations for a trusted-documents-only caller', () => {
    const registered = '{ provinces { code } }';
    const deps = pipelineDeps({
      resolveDocument: createDocumentResolver({
        trusted: new Map([[sha256(registered), registered]]),
        apqCacheSize: 10,
      }),
    });
    const identity = { ...anonymous, trustedDocumentsOnly: true };
    const byId = withBody({ documentId: `sha256:${sha256(registered)}` }, { identity });
    document(byId, deps);
    expect(byId.query).toBe(registered);
    const other = withBody({ query: '{ provinces { name } }' }, { identity });
    expect(rejection(other, deps).code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    // Hex digits in upper case are the same hash, by id or as a persisted query.
    const upper = sha256(registered).toUpperCase();
    const spelled = [
      withBody({ documentId: `sha256:${upper}` }, { identity }),
      withBody({ extensions: { persistedQuery: { version: 1, sha256Hash: upper } } }, { identity }),
      withBody({
        documentId: `sha256:${upper}`,
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256(registered) } },
      }),
    ];
    for (const op of spelled) {
      document(op, deps);
      expect(op.query).toBe(registered);
    }
  });

  it('registers and runs an automatic persisted query whose hash is in upper case', () => {
    const deps = pipelineDeps({
      resolveDocument: createDocumentResolver({ trusted: new Map(), apqCacheSize: 10 }),
    });
    const query = '{ provinces { name } }';
    const pq = { version: 1, sha256Hash: sha256(query).toUpperCase() };
    expect(rejection(withBody({ extensions: { persistedQuery: pq } }), deps).code).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
    document(withBody({ query, extensions: { persistedQuery: pq } }), deps);
    const again = withBody({ extensions: { persistedQuery: pq } });
    document(again, deps);
    expect(again.query).toBe(query);
  });

  it('answers an unknown documentId as not in the list, and an unknown APQ hash as not found', () => {
    const deps = pipelineDeps();
    const hash = sha256('{ provinces { name } }');
    expect(rejection(withBody({ documentId: `sha256:${hash}` }), deps)).toMatchObject({
      status: 400,
      code: 'PERSISTED_QUERY_NOT_IN_LIST',
    });
    const apq = { persistedQuery: { version: 1, sha256Hash: hash } };
    expect(rejection(withBody({ extensions: apq }), deps)).toMatchObject({
      status: 200,
      code: 'PERSISTED_QUERY_NOT_FOUND',
    });
    // An APQ client that also names the hash as documentId speaks APQ.
    expect(rejection(withBody({ documentId: hash, extensions: apq }), deps)).toMatchObject({
      status: 200,
      code: 'PERSISTED_QUERY_NOT_FOUND',
    });
  });

  it('refuses a documentId and a persisted-query hash naming different documents', () => {
    const one = '{ provinces { code } }';
    const two = '{ provinces { name } }';
    const deps = pipelineDeps({
      resolveDocument: createDocumentResolver({
        trusted: new Map([one, two].map((d) => [sha256(d), d])),
        apqCacheSize: 10,
      }),
    });
    const both = (pq: string) =>
      withBody({
        documentId: `sha256:${sha256(one)}`,
        extensions: { persistedQuery: { version: 1, sha256Hash: pq } },
      });
    expect(rejection(both(sha256(two)), deps)).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    const same = both(sha256(one));
    document(same, deps);
    expect(same.query).toBe(one);
  });

  it('holds no more document text than DOCUMENT_CACHE_MB, whatever texts arrive', () => {
    const resolve = createDocumentResolver({
      trusted: new Map(),
      apqCacheSize: 1000,
      apqMaxBytes: 1024 * 1024,
    });
    // 50 distinct texts of 100,000 characters (unparsable: only their hashes are taken), and
    // as many sent with the APQ extension.
    for (let i = 0; i < 50; i++) {
      const query = `${i} ${'中'.repeat(99_990)}`;
      resolve({ query }, false);
      resolve({ query: `${query}!`, extensions: { persistedQuery: { version: 1 } } }, false);
    }
    expect(resolve.heldBytes()).toBeGreaterThan(0);
    expect(resolve.heldBytes()).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it('refuses an alias starting with __ on another field (both engines misread it)', () => {
    for (const query of [
      '{ provinces { __typename: name } }',
      '{ provinces { code __schema: name } }',
    ]) {
      expect(rejection(withBody({ query }), pipelineDeps())).toMatchObject({
        status: 400,
        code: 'GRAPHQL_VALIDATION_FAILED',
        message: expect.stringMatching(/is reserved/),
      });
    }
    const op = withBody({ query: '{ provinces { __typename: __typename t: __typename } }' });
    document(op, pipelineDeps());
    expect(op.doc?.kind).toBe('Document');
  });

  it('refuses an alias naming a key or required field of the type (both planners merge them)', () => {
    for (const query of [
      '{ region(code: "331124") { code: name healthcare { __typename } } }',
      '{ region(code: "331124") { children: name culture { __typename } } }',
    ]) {
      expect(rejection(withBody({ query }), pipelineDeps())).toMatchObject({
        status: 400,
        code: 'GRAPHQL_VALIDATION_FAILED',
        message: expect.stringMatching(/fetches to join its subgraphs/),
      });
    }
    const op = withBody({ query: '{ region(code: "331124") { name: code c: code code } }' });
    document(op, pipelineDeps());
    expect(op.doc?.kind).toBe('Document');
  });

  it('refuses a variable named $representations (the engines name their entity fetches so)', () => {
    const query = 'query($representations: ID!) { village(code: $representations) { name } }';
    expect(rejection(withBody({ query }), pipelineDeps())).toMatchObject({
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message:
        'The variable name "$representations" is reserved for the gateway\'s own fetches: rename it.',
    });
    const op = withBody({
      query: 'query($representation: ID!) { village(code: $representation) { name } }',
    });
    document(op, pipelineDeps());
    expect(op.doc?.kind).toBe('Document');
  });

  it('refuses a syntax error with 400', () => {
    const err = rejection(withBody({ query: '{ provinces { ' }), pipelineDeps());
    expect(err).toMatchObject({ status: 400, code: 'GRAPHQL_PARSE_FAILED' });
  });
});
