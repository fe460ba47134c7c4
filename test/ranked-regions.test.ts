import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootStack, type ExtraGateway, type Stack } from './support/stack.js';
import type { GraphQLResponse } from './support/subgraph.js';

/**
 * The regions of a domain's `childRanking`, asked for fields of every subgraph — the digital
 * index (places, which `@requires` each domain's index input, each of which `@requires` the
 * region's `ruralVillageCount` from places) beside a domain's own view. Each planner failed some
 * of these documents: the Rust planner could not plan `digitalIndex` beside `commerce` there
 * ("cannot be found in selection set") and handed it to @apollo/gateway's planner, which asks
 * the ranking's subgraph for the ranked region's `ruralVillageCount` — a field that subgraph
 * only receives from places — and got null: INTERNAL_SERVER_ERROR on either engine. The ranking
 * subgraphs now give their ranked regions the counts places sent them, and every answer must
 * equal the same region asked for on its own.
 */
const FIELDS =
  'code name ruralVillageCount digitalIndex { score } ' +
  'culture { auditoriumCount coverage } commerce { stores { total } } ' +
  'healthcare { ruralVillageCount }';
const RANKINGS = [
  ['commerce', 'childRanking(by: STORE_COUNT)'],
  ['culture', 'childRanking(by: AUDITORIUM_COUNT)'],
  ['healthcare', 'childRanking(by: FAMILY_DOCTOR_SHARE)'],
] as const;

let stack: Stack;
let apollo: ExtraGateway;
beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124', '330203'] });
  apollo = await stack.extraGateway({ GATEWAY_ENGINE: 'apollo' });
}, 180_000);
afterAll(async () => {
  await apollo?.close();
  await stack?.close();
});

const engines = () =>
  [
    ['the default engine', stack.query],
    ['GATEWAY_ENGINE=apollo', apollo.query],
  ] as const;

type Ranked = { region: Record<string, unknown> & { code: string } };

describe.each(RANKINGS)('the regions of %s.childRanking', (domain, ranking) => {
  it('answer fields of every subgraph as the same regions asked alone, on both engines', async () => {
    for (const [engine, query] of engines()) {
      const res: GraphQLResponse = await query(
        `{ region(code: "33") { ${domain} { ${ranking} { region { ${FIELDS} } } } } }`,
      );
      expect(res.body.errors, engine).toBeUndefined();
      const region = res.body.data!.region as Record<string, { childRanking: Ranked[] }>;
      const ranked = region[domain].childRanking;
      expect(ranked.map((r) => r.region.code).sort(), engine).toEqual(['3302', '3311']);
      for (const { region: got } of ranked) {
        const alone = await query(`{ region(code: "${got.code}") { ${FIELDS} } }`);
        expect(alone.body.errors, engine).toBeUndefined();
        expect(got, `${engine}: ${got.code}`).toEqual(alone.body.data!.region);
      }
    }
  });
});
