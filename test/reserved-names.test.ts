import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootStack, type ExtraGateway, type Stack } from './support/stack.js';

/**
 * Names the engines give their own subgraph fetches cannot be a client's: a variable named
 * `$representations` used in a field of an entity fetch made the default engine send culture a
 * fetch using a variable it no longer declared (refused 400, counted as culture failing: five
 * such documents from one anonymous caller opened culture's circuit breaker, and every caller's
 * culture fields were null with SUBGRAPH_UNAVAILABLE), and @apollo/gateway answer
 * INTERNAL_SERVER_ERROR. Both now refuse the document with 400 before anything is fetched.
 */
let stack: Stack;
let apollo: ExtraGateway;

beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124'] });
  apollo = await stack.extraGateway({ GATEWAY_ENGINE: 'apollo' });
});
afterAll(async () => {
  await apollo?.close();
  await stack?.close();
});

const USAGE = `{ region(code: "331124") { culture { usage(from: "2024-01", to: "2024-06") { from to } } } }`;
const RESERVED = `query($representations: String!) {
  region(code: "331124") { culture { usage(from: "2024-01", to: $representations) { from to } } }
}`;

describe('a variable named as the engines name their entity fetches', () => {
  it('is refused with 400, and does not take culture away from other callers', async () => {
    const usage = { region: { culture: { usage: { from: '2024-01', to: '2024-06' } } } };
    for (const [engine, query] of [
      ['hive-router', stack.query],
      ['apollo', apollo.query],
    ] as const) {
      for (let i = 0; i < 6; i++) {
        const refused = await query(RESERVED, { representations: '2024-06' });
        expect(refused.status, engine).toBe(400);
        expect(
          refused.body.errors?.map((e) => e.extensions?.code),
          engine,
        ).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      }
      expect((await query(USAGE)).body, engine).toEqual({ data: usage });
    }
  });
});
