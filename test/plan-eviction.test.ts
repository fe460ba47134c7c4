import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootStack, type ExtraGateway, type Stack } from './support/stack.js';

/**
 * @apollo/gateway's plans are kept in a bounded store (PLAN_CACHE_MB). A plan evicted, or one
 * larger than the store, is planned again — and repaired again (gateway/engine/plan-repair.ts):
 * a ranked region's digital index, answered by the same plan as on first sight. Its executor
 * once planned such an operation itself, on the event loop, unrepaired: null with
 * SUBGRAPH_UNAVAILABLE with every subgraph up, and that plan was kept for the next requests.
 */
const RANKED = (domain: string, by: string) =>
  `{ region(code: "33") { ${domain} { childRanking(by: ${by}) { rank region { code digitalIndex { score } } } } } }`;
const TARGETS = [RANKED('commerce', 'STORE_COUNT'), RANKED('culture', 'AUDITORIUM_COUNT')];

let stack: Stack;
const gateways: [string, ExtraGateway][] = [];
beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124', '330203'] });
  // 10 KiB holds small plans but not a repaired one (some 12 KB).
  for (const [engine, mb] of [
    ['apollo', '0.01'],
    ['hive-router', '0.01'],
  ] as const) {
    const gateway = await stack.extraGateway({ GATEWAY_ENGINE: engine, PLAN_CACHE_MB: mb });
    gateways.push([`${engine}, PLAN_CACHE_MB=${mb}`, gateway]);
  }
}, 180_000);
afterAll(async () => {
  await Promise.all(gateways.map(([, g]) => g.close()));
  await stack?.close();
});

describe('a plan of @apollo/gateway evicted from its store', () => {
  it('is repaired again when planned again, on both engines', async () => {
    const expected = await Promise.all(TARGETS.map((q) => stack.query(q)));
    for (const res of expected) expect(res.body.errors).toBeUndefined();
    for (const [name, gateway] of gateways) {
      for (let round = 0; round < 2; round++) {
        for (const [i, query] of TARGETS.entries()) {
          const res = await gateway.query(query);
          expect(res.body, `${name}, round ${round}`).toEqual(expected[i].body);
        }
        // Distinct operations that push the plans out of the store.
        for (let n = 0; n < 4; n++) {
          const res = await gateway.query(
            `{ region(code: "33") { code e${round}_${n}: children { code name digitalIndex { score } } } }`,
          );
          expect(res.body.errors, name).toBeUndefined();
        }
      }
    }
  });
});
