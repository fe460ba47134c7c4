import { graphql, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { expect, it } from 'vitest';
import { guardArguments, LocalDateScalar } from './argument-guard.js';
import { today as todayOf } from './arguments.js';

const dated = (name: string) =>
  new GraphQLObjectType({
    name,
    fields: {
      on: {
        type: GraphQLString,
        args: { date: { type: new GraphQLNonNull(LocalDateScalar) } },
        resolve: (_s, { date }: { date: string }) => date,
      },
    },
  });
const schema = guardArguments(
  new GraphQLSchema({ query: dated('Query'), mutation: dated('Mutation') }),
);
const today = todayOf(); // the day the subgraphs' writes end on

it('names the range a write accepts when it refuses its date: up to today, not 2099', async () => {
  const write = await graphql({ schema, source: 'mutation { on(date: "0001-01-01") }' });
  expect(write.errors?.[0].message).toBe(`\`date\` must be a date from 2000-01-01 to ${today}.`);
  expect(
    (await graphql({ schema, source: 'mutation { on(date: "2098-01-01") }' })).errors?.[0].message,
  ).toBe(`\`date\` must be a date from 2000-01-01 to ${today}.`);
  // A read takes dates to the end of 2099.
  const read = await graphql({ schema, source: '{ on(date: "2098-01-01") }' });
  expect(read).toEqual({ data: { on: '2098-01-01' } });
});
