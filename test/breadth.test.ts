import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRuralVillageName, readDivisions } from '../subgraphs/shared/divisions.js';
import { bootStack, type Stack } from './support/stack.js';

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Provinces far from Zhejiang in every subgraph (a national load is too slow for the suite; it
 * is measured in docs/bench-seed.md): Ulugqat county in Xinjiang's far west (653024) and
 * Wuzhishan in Hainan (469001).
 */
const SCOPES = ['653024', '469001'];
let stack: Stack;
beforeAll(async () => {
  stack = await bootStack({ scopes: SCOPES });
});
afterAll(() => stack?.close());

async function ruralVillages(prefix: string): Promise<Record<string, string>[]> {
  const out: Record<string, string>[] = [];
  for await (const v of readDivisions('villages', prefix))
    if (isRuralVillageName(v.name)) out.push(v);
  return out;
}

describe('far from Zhejiang', () => {
  it.each(SCOPES)('serves region %s from every subgraph, labelled synthetic', async (code) => {
    const rural = await ruralVillages(code);
    const res =
      await stack.query(`{ region(code: "${code}") { code ruralVillageCount provenance { kind }
      culture { auditoriumCount ruralVillagesCovered coverage provenance { kind } reportedFacts { id } }
      healthcare { ruralVillageCount facilities { villageClinics townshipHealthCentres countyHospitals }
        clinicAccess { provenance { kind } } }
      commerce { stores { total provenance { kind } } jobs { count } reportedFacts { id } } } }`);
    expect(res.body.errors).toBeUndefined();
    const r = (res.body.data as Data).region;
    expect(r.ruralVillageCount).toBe(rural.length);
    expect(r.provenance.kind).toBe('OFFICIAL');
    // Outside Zhejiang: a synthetic per-province auditorium coverage between 55 % and 90 %.
    expect(r.culture.auditoriumCount).toBe(r.culture.ruralVillagesCovered);
    expect(r.culture.coverage).toBeGreaterThan(0.3);
    expect(r.culture.coverage).toBeLessThan(1);
    expect(r.culture.provenance.kind).toBe('SYNTHETIC');
    expect(r.culture.reportedFacts).toEqual([]);
    expect(r.healthcare.ruralVillageCount).toBe(rural.length);
    expect(r.healthcare.facilities.countyHospitals).toBe(2);
    expect(r.healthcare.facilities.villageClinics).toBeGreaterThan(rural.length / 2);
    expect(r.healthcare.clinicAccess.provenance.kind).toBe('SYNTHETIC');
    expect(r.commerce.stores.provenance.kind).toBe('SYNTHETIC');
    expect(r.commerce.reportedFacts).toEqual([]);
  });

  it('answers a village profile in Xinjiang from all four subgraphs', async () => {
    const [village] = await ruralVillages('653024');
    const res = await stack.query(`{ village(code: "${village.code}") { name kind
      province { name } county { name }
      culture { auditorium { id provenance { kind } } }
      healthcare { access { nearestTownshipHealthCentre { level } provenance { kind } } }
      commerce { storeCount provenance { kind } } } }`);
    expect(res.body.errors).toBeUndefined();
    const v = (res.body.data as Data).village;
    expect(v).toMatchObject({
      name: village.name,
      kind: 'RURAL_VILLAGE',
      province: { name: '新疆维吾尔自治区' },
      county: { name: '乌恰县' },
      healthcare: {
        access: {
          nearestTownshipHealthCentre: { level: 'TOWNSHIP_HEALTH_CENTRE' },
          provenance: { kind: 'SYNTHETIC' },
        },
      },
      commerce: { provenance: { kind: 'SYNTHETIC' } },
    });
    // An auditorium or none, by the synthetic coverage; when there is one it says synthetic.
    if (v.culture.auditorium) expect(v.culture.auditorium.provenance.kind).toBe('SYNTHETIC');
  });
});
