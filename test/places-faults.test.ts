import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SONGYANG, VILLAGE, violations } from './support/fault-answers.js';
import { startFaultRig, type Engine, type FaultRig } from './support/fault-rig.js';
import type { Garble } from './support/faults.js';
import type { GraphQLResponse } from './support/subgraph.js';

/**
 * Places behind a proxy that garbles its answers, on both engines. Places answers the `_entities`
 * fetches that compute the index and the rankings from the domains' components (`@requires`):
 * an entity it answered null without an error (`nullEntities`) left `digitalIndex`,
 * `childrenByIndex` and `villagesByIndex` null with no error, read as "no figures". Every value
 * must be the fault-free one or null with SUBGRAPH_UNAVAILABLE.
 */
const MODES: Garble[] = [
  'nullEntities',
  'someEntities',
  'pathlessErrors',
  'dropFields',
  'stringNumbers',
  'swapEntities',
  'dropEntity',
];

const DOCUMENTS: { name: string; query: string }[] = [
  { name: 'CityIndex', query: '{ region(code: "3311") { digitalIndex { score } } }' },
  { name: 'VillageIndex', query: `{ village(code: "${VILLAGE}") { digitalIndex { score } } }` },
  {
    name: 'CountyRankings',
    query: `{ region(code: "${SONGYANG}") { name ruralVillageCount
      digitalIndex { score components { cultureCoverage onlineStores } }
      childrenByIndex(first: 5) { rank region { code name } index { score } }
      villagesByIndex(first: 5) { rank village { code name } index { score } } } }`,
  },
  {
    name: 'RegionFigures',
    query: `{ region(code: "${SONGYANG}") {
      culture { coverage coveragePercent auditoriumCount
        childRanking(by: COVERAGE, first: 3) { rank region { code name } value } }
      healthcare { clinicAccess { shareWithin30Minutes } }
      commerce { stores { total } indexComponents { stores storesPerVillage } } } }`,
  },
  {
    name: 'TownshipVillages',
    query: `{ village(code: "${VILLAGE}") { name kind township { name ruralVillageCount
      digitalIndex { score } } culture { auditorium { name village { name digitalIndex { score } } } } } }`,
  },
];

let rig: FaultRig;
const baseline = new Map<string, GraphQLResponse>();

beforeAll(async () => {
  rig = await startFaultRig({
    name: 'placesfaults',
    gatewayEnv: { SUBGRAPH_RETRIES: '0', BREAKER_FAILURE_THRESHOLD: '1000000' },
    proxied: true,
    operations: DOCUMENTS.map((d) => ({ ...d, variables: {} })),
  });
  for (const doc of DOCUMENTS) baseline.set(doc.name, rig.baseline.get(doc.name)!);
}, 300_000);

afterAll(() => rig?.stop(), 60_000);

describe('places answering valid JSON of the wrong shape, on both engines', () => {
  for (const mode of MODES) {
    it(`${mode}: every value is the fault-free one or null with an error`, async () => {
      const problems: string[] = [];
      // A subgraph's own error at an entity reaches the caller as INTERNAL_SERVER_ERROR.
      const codes = ['SUBGRAPH_UNAVAILABLE', 'INTERNAL_SERVER_ERROR'];
      let withErrors = 0;
      rig.proxies.places!.mode = mode;
      try {
        for (const doc of DOCUMENTS) {
          for (const engine of ['hive-router', 'apollo'] as Engine[]) {
            const answer = await rig.ask(engine, doc);
            expect(answer.status, `${engine} ${doc.name}`).toBe(200);
            if (answer.body.errors) withErrors += 1;
            for (const p of violations(baseline.get(doc.name)!.body.data, answer, doc.query, codes))
              problems.push(`${engine} ${doc.name}: ${p}`);
          }
        }
      } finally {
        rig.proxies.places!.mode = 'pass';
      }
      expect(problems).toEqual([]);
      expect(withErrors).toBeGreaterThan(0);
    }, 180_000);
  }

  it('nullEntities: the index of a region and of a village is null with SUBGRAPH_UNAVAILABLE', async () => {
    const asked = [
      { query: DOCUMENTS[0]!.query, at: 'region' },
      { query: DOCUMENTS[1]!.query, at: 'village' },
    ];
    for (const engine of ['hive-router', 'apollo'] as Engine[]) {
      for (const { query, at } of asked) {
        rig.proxies.places!.mode = 'nullEntities';
        let answer: GraphQLResponse;
        try {
          answer = await rig.ask(engine, { query });
        } finally {
          rig.proxies.places!.mode = 'pass';
        }
        expect({ engine, query, body: answer.body }).toEqual({
          engine,
          query,
          body: {
            data: { [at]: { digitalIndex: null } },
            errors: [
              {
                message: 'A part of the graph is unavailable right now.',
                path: [at, 'digitalIndex'],
                extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
              },
            ],
          },
        });
      }
    }
  });
});
