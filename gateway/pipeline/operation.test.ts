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

  it.each([
    [null, 'The body must be a JSON object.'],
    ['{ a }', 'The body must be a JSON object.'],
    [[{ query: '{ a }' }], 'The body must be a JSON object.'],
    [{ query: '{ a }', operationName: 7 }, '`operationName` must be a string.'],
    [{ query: '{ a }', variables: [1] }, '`variables` must be an object.'],
    [{ query: '{ a }', variables: 'x=1' }, '`variables` must be an object.'],
  ])('refuses %j with 400 BAD_REQUEST', (raw, message) => {
    const run = () => operation(operationState(raw), deps);
    expect(run).toThrow(RequestRejection);
    expect(run).toThrow(message);
  });
});
