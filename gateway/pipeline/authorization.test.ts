import { parse, print, validate } from 'graphql';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../auth/auth.js';
import { authorization } from './authorization.js';
import { anonymous, operationState, partner, pipelineDeps, served } from './fixtures.js';
import type { OperationState } from './types.js';

const write =
  'mutation W { updateFacilityOpeningHours(input: { facilityId: "1", openingHours: [], source: "x" }) { id } }';
const state = (query: string, extra: Partial<OperationState> = {}) =>
  operationState(
    {},
    {
      served,
      query,
      hash: createHash('sha256').update(query).digest('hex'),
      doc: parse(query),
      privileged: false,
      ...extra,
    },
  );

describe('authorization stage', () => {
  it('lets a query through and writes its type and name to the audit line', () => {
    const op = state('query Provinces { provinces { code } }');
    expect(authorization(op, pipelineDeps())).toBeUndefined();
    expect(op.prepared?.auth.operation).toBe('query');
    expect(op.audit).toMatchObject({ operationType: 'query', operationName: 'Provinces' });
  });

  it('asks anonymous writers for credentials (401)', () => {
    expect(() => authorization(state(write, { identity: anonymous }), pipelineDeps())).toThrow(
      AuthError,
    );
  });

  it('answers a write the caller has no scope for with its denial, running nothing', async () => {
    const op = state(write, { identity: partner });
    const reply = await authorization(op, pipelineDeps());
    expect(reply?.status).toBe(200);
    const body = JSON.parse(reply!.body);
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(body.errors[0].path).toEqual(['updateFacilityOpeningHours']);
    expect(op.audit.errorCodes).toEqual(['FORBIDDEN']);
  });

  it('removes a denied field from a document that spreads fragments twice, ten deep', () => {
    let fragments = 'fragment F0 on Mutation { __typename }\n';
    for (let i = 1; i <= 10; i++) {
      fragments += `fragment F${i} on Mutation { ...F${i - 1} ...F${i - 1} }\n`;
    }
    const query = `mutation { ...F10 ${write.slice('mutation W {'.length, -1)} }\n${fragments}`;
    const op = state(query, { identity: { ...partner, scopes: ['culture:write'] } });
    expect(authorization(op, pipelineDeps())).toBeUndefined();
    const rewritten = op.prepared!.auth.document!;
    // What Apollo Server validates again before it runs it: valid, not given up on.
    expect(validate(served.schema, rewritten).map((e) => e.message)).toEqual([]);
    expect(print(rewritten).match(/__typename/g)).toHaveLength(1);
    expect(op.prepared!.auth.denied.map((d) => d.path)).toEqual([['updateFacilityOpeningHours']]);
  });

  it('runs a write the caller has the scope for', () => {
    const identity = { ...partner, scopes: ['healthcare:write'] };
    expect(authorization(state(write, { identity }), pipelineDeps())).toBeUndefined();
  });

  it('refuses introspection when it is off, unless the caller may introspect', () => {
    const query = '{ __schema { queryType { name } } }';
    expect(() => authorization(state(query), pipelineDeps())).toThrow(
      expect.objectContaining({ code: 'INTROSPECTION_DISABLED' }),
    );
    expect(authorization(state(query, { privileged: true }), pipelineDeps())).toBeUndefined();
    const on = pipelineDeps({}, { INTROSPECTION: 'true' });
    expect(authorization(state(query), on)).toBeUndefined();
  });

  it('asks which operation to run when the document holds several and none is named', () => {
    const query = 'query A { provinces { code } } query B { provinces { name } }';
    const code = (e: string) => expect.objectContaining({ code: e });
    expect(() => authorization(state(query), pipelineDeps())).toThrow(
      code('OPERATION_RESOLUTION_FAILURE'),
    );
    expect(() => authorization(state(query, { operationName: 'C' }), pipelineDeps())).toThrow(
      'No operation named "C" in the document.',
    );
    expect(authorization(state(query, { operationName: 'B' }), pipelineDeps())).toBeUndefined();
    expect(() => authorization(state('subscription S { __typename }'), pipelineDeps())).toThrow(
      'This graph has no subscriptions.',
    );
  });
});
