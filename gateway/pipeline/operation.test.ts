import { describe, expect, it } from 'vitest';
import { RequestRejection } from '../operations/limits.js';
import { operationState, pipelineDeps } from './fixtures.js';
import { operation } from './operation.js';

const deps = pipelineDeps();

describe('operation stage', () => {
  it('takes the operation name and variables of a JSON object', () => {
    const op = operationState({ query: '{ a }', operationName: 'A', variables: { x: 1 } });
    expect(operation(op, deps)).toBeUndefined();
    expect(op).toMatchObject({ operationName: 'A', variables: { x: 1 } });
    const bare = operationState({ query: '{ a }', operationName: null, variables: null });
    operation(bare, deps);
    expect(bare.operationName).toBeUndefined();
    expect(bare.variables).toBeUndefined();
  });

  it('takes well-formed extensions, a persisted query and a document id', () => {
    const hash = 'a'.repeat(64);
    for (const raw of [
      { query: '{ a }', extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
      { query: '{ a }', extensions: {} },
      { query: '{ a }', extensions: null },
      // null members are absent, as Apollo Server reads them
      { query: '{ a }', extensions: { persistedQuery: null } },
      { documentId: `sha256:${hash}` },
    ]) {
      expect(operation(operationState(raw), deps)).toBeUndefined();
    }
  });

  it.each([
    [null, 'The body must be a JSON object.'],
    ['{ a }', 'The body must be a JSON object.'],
    [[{ query: '{ a }' }], 'The body must be a JSON object.'],
    [{ query: '{ a }', operationName: 7 }, '`operationName` must be a string.'],
    [{ query: '{ a }', variables: [1] }, '`variables` must be an object.'],
    [{ query: '{ a }', variables: 'x=1' }, '`variables` must be an object.'],
    [{ query: '{ a }', extensions: 's' }, '`extensions` must be an object.'],
    [{ query: '{ a }', extensions: [] }, '`extensions` must be an object.'],
    [{ query: '{ a }', extensions: 5 }, '`extensions` must be an object.'],
    [{ query: '{ a }', extensions: { persistedQuery: [] } }, '`extensions.persistedQuery`'],
    [{ query: '{ a }', extensions: { persistedQuery: 'x' } }, '`extensions.persistedQuery`'],
    [
      { query: '{ a }', extensions: { persistedQuery: { version: 1, sha256Hash: 5 } } },
      '`extensions.persistedQuery`',
    ],
    [{ query: '{ a }', documentId: 5 }, '`documentId` must be a string.'],
    [{ query: '{ a }', documentId: ['x'] }, '`documentId` must be a string.'],
  ])('refuses %j with 400 BAD_REQUEST', (raw, message) => {
    const run = () => operation(operationState(raw), deps);
    expect(run).toThrow(RequestRejection);
    expect(run).toThrow(message);
    expect(() => operation(operationState(raw), deps)).toThrow(
      expect.objectContaining({ status: 400, code: 'BAD_REQUEST' }),
    );
  });
});
