import type { GraphQLRequestContext, GraphQLRequestListener, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { noteWriteSaved, requestErrors } from './request-errors.js';

describe('a database error under a mutation field', () => {
  it('says nothing was written only before that field’s write committed', async () => {
    const errors = requestErrors(pino({ level: 'silent' }));
    const context = errors.bind({}, 'req-1');
    // `saved` committed its write; `failed` did not.
    noteWriteSaved(context, { path: { key: 'saved', prev: undefined } });
    const tooMany = () => Object.assign(new Error('too many clients'), { code: '53300' });
    const afterSave = new GraphQLError('too many clients', {
      path: ['saved', 'telemedicineLinks'],
      originalError: tooMany(),
    });
    const before = new GraphQLError('too many clients', {
      path: ['failed'],
      originalError: tooMany(),
    });
    const listener = (await errors.plugin.requestDidStart!(
      {} as GraphQLRequestContext<BaseContext>,
    )) as GraphQLRequestListener<BaseContext>;
    await listener.didEncounterErrors!({
      contextValue: { ...context }, // Apollo Server hands listeners a shallow copy
      operation: { kind: 'OperationDefinition', operation: 'mutation' },
      errors: [afterSave, before],
    } as never);
    const message = (e: GraphQLError) => errors.formatError(e.toJSON(), e).message;
    expect(message(afterSave)).toMatch(/^The write was saved, but reading what it returns failed/);
    expect(message(before)).toMatch(/out of room or resources; nothing was written/);
  });
});

describe('a database error under a query', () => {
  it('says what failed, and nothing of a write (it said "nothing was written")', async () => {
    const errors = requestErrors(pino({ level: 'silent' }));
    const context = errors.bind({}, 'req-2');
    const lost = new GraphQLError('Connection terminated unexpectedly', {
      path: ['auditorium'],
      originalError: new Error('Connection terminated unexpectedly'),
    });
    const listener = (await errors.plugin.requestDidStart!(
      {} as GraphQLRequestContext<BaseContext>,
    )) as GraphQLRequestListener<BaseContext>;
    await listener.didEncounterErrors!({
      contextValue: { ...context },
      operation: { kind: 'OperationDefinition', operation: 'query' },
      errors: [lost],
    } as never);
    expect(errors.formatError(lost.toJSON(), lost)).toEqual({
      message: 'The connection to the database was lost. Try again shortly.',
      path: ['auditorium'],
      extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
    });
  });
});
