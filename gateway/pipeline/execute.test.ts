import { createHash } from 'node:crypto';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApolloServer } from '@apollo/server';
import { authorization } from './authorization.js';
import { execute } from './execute.js';
import { apolloOver, operationState, partner, pipelineDeps, request, served } from './fixtures.js';
import type { OperationState, PipelineDeps, RequestContext } from './types.js';

let apollo: ApolloServer<RequestContext>;
let deps: PipelineDeps;
const contexts: RequestContext[] = [];
beforeAll(async () => {
  apollo = await apolloOver({
    provinces: () => [{ code: '33', name: '浙江省' }],
    // A root value's functions get (args, context, info).
    updateFacilityOpeningHours: (_args: unknown, context: RequestContext) => {
      contexts.push(context);
      return { id: 'f1' };
    },
  });
  deps = pipelineDeps({ apollo });
});
afterAll(() => apollo.stop());

async function prepared(query: string, extra: Partial<OperationState> = {}) {
  const op = operationState(
    { query },
    {
      body: { query },
      served,
      query,
      hash: createHash('sha256').update(query).digest('hex'),
      doc: parse(query),
      ...extra,
    },
  );
  expect(await authorization(op, deps)).toBeUndefined();
  return op;
}

describe('execute stage', () => {
  it('runs the operation by POST and by GET alike', async () => {
    const query = 'query P { provinces { code name } }';
    const post = await execute(await prepared(query), deps);
    expect(post).toMatchObject({ status: 200 });
    expect(JSON.parse(post!.body)).toEqual({
      data: { provinces: [{ code: '33', name: '浙江省' }] },
    });
    const get = await execute(
      await prepared(query, { method: 'GET', req: request({ method: 'GET' }) }),
      deps,
    );
    expect(get!.body).toBe(post!.body);
  });

  it('passes a mutation its Idempotency-Key and the caller', async () => {
    const write =
      'mutation W { updateFacilityOpeningHours(input: { facilityId: "1", openingHours: [], source: "x" }) { id } }';
    const identity = { ...partner, scopes: ['healthcare:write'] };
    const req = request({ headers: { 'idempotency-key': 'k-123' } });
    const op = await prepared(write, { identity, req });
    const reply = await execute(op, deps);
    expect(JSON.parse(reply!.body)).toEqual({ data: { updateFacilityOpeningHours: { id: 'f1' } } });
    expect(op.audit.errorCodes).toEqual([]);
    expect(contexts.at(-1)).toMatchObject({ idempotencyKey: 'k-123', identity });
  });

  it('refuses a malformed Idempotency-Key before running the write', async () => {
    const write =
      'mutation W { updateFacilityOpeningHours(input: { facilityId: "1", openingHours: [], source: "x" }) { id } }';
    const identity = { ...partner, scopes: ['healthcare:write'] };
    const before = contexts.length;
    const op = await prepared(write, {
      identity,
      req: request({ headers: { 'idempotency-key': 'x'.repeat(300) } }),
    });
    await expect(execute(op, deps)).rejects.toMatchObject({ status: 400 });
    expect(contexts.length).toBe(before);
  });

  it('claims the Idempotency-Key: one used for another write is refused 422, not run', async () => {
    const write =
      'mutation W { updateFacilityOpeningHours(input: { facilityId: "1", openingHours: [], source: "x" }) { id } }';
    const identity = { ...partner, scopes: ['healthcare:write'] };
    const claimed: unknown[][] = [];
    const claiming = (kind: 'same' | 'other'): PipelineDeps => ({
      ...deps,
      claimKey: async (...args) => {
        claimed.push(args);
        return { kind };
      },
    });
    const req = request({ headers: { 'idempotency-key': 'k-9' } });
    const before = contexts.length;
    const refused = await execute(await prepared(write, { identity, req }), claiming('other'));
    expect(refused).toMatchObject({ status: 422 });
    expect(JSON.parse(refused!.body).errors[0].extensions).toEqual({
      code: 'IDEMPOTENCY_KEY_REUSED',
      field: 'Idempotency-Key',
    });
    expect(contexts.length).toBe(before);
    expect(claimed).toEqual([[identity.id, 'k-9', ['updateFacilityOpeningHours']]]);
    const retry = await execute(await prepared(write, { identity, req }), claiming('same'));
    expect(retry).toMatchObject({ status: 200 });
    expect(contexts.length).toBe(before + 1);
  });

  it('needs the authorization stage first', async () => {
    await expect(execute(operationState({}), deps)).rejects.toThrow(/prepared/);
  });
});
