import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootSubgraph, type BootedSubgraph } from '../../../test/support/subgraph.js';
import { healthcareSubgraph } from '../index.js';
import { CITY_TOWNSHIPS, ZHEJIANG_CITIES, ruralVillages } from './fixtures.js';

let healthcare: BootedSubgraph;
beforeAll(async () => {
  healthcare = await bootSubgraph(healthcareSubgraph as never, { scopes: CITY_TOWNSHIPS });
});
afterAll(() => healthcare?.close());

const FIGURES = `code healthcare {
  ruralVillageCount
  clinicAccess { villagesWithin15Minutes villagesWithin30Minutes shareWithin15Minutes shareWithin30Minutes provenance { kind } }
  familyDoctorCoverage { villages share provenance { kind } }
  facilities { villageClinics townshipHealthCentres countyHospitals total acceptingOnlineAppointments doctors provenance { kind } }
  doctorsPer1000Residents
  telemedicine { facilitiesOffering villages { villages share } provenance { kind } }
  assistance { points reportedPoints provenance { kind } }
  assistedBookings(from: "2020-01", to: "2021-12") {
    from to doctorAppointments testResults insurance total
    months { month total reportingPoints } provenance { kind }
  } }`;

type Figures = {
  code: string;
  healthcare: {
    ruralVillageCount: number;
    clinicAccess: {
      villagesWithin15Minutes: number;
      villagesWithin30Minutes: number;
      shareWithin15Minutes: number;
    };
    facilities: Record<string, number>;
    assistedBookings: { total: number; months: { month: string; total: number }[] };
    doctorsPer1000Residents: null;
  };
};

async function regions(codes: string[]) {
  const res = await healthcare.query<{ _entities: Figures[] }>(
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region { ${FIGURES} } } }`,
    { r: codes.map((code) => ({ __typename: 'Region', code })) },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!._entities;
}

describe('region figures', () => {
  it('answers Zhejiang and all 11 cities with the same number of statements as one city', async () => {
    healthcare.sql.reset();
    await regions(['33', '3301']);
    const small = healthcare.sql.count;
    healthcare.sql.reset();
    const all = await regions(['33', ...ZHEJIANG_CITIES]);
    expect(healthcare.sql.count).toBe(small);
    // One rollup lookup, one monthly-rollup lookup.
    expect(small).toBe(2);
    expect(all).toHaveLength(12);
    for (const r of all) expect(r.healthcare).not.toBeNull();
  });

  it('rolls villages and facilities up by code prefix, province = sum of its cities', async () => {
    const [province, ...cities] = await regions(['33', ...ZHEJIANG_CITIES]);
    const villages = await ruralVillages(CITY_TOWNSHIPS);
    expect(province.healthcare.ruralVillageCount).toBe(villages.length);
    const sum = (pick: (f: Figures) => number) => cities.reduce((acc, c) => acc + pick(c), 0);
    expect(sum((c) => c.healthcare.ruralVillageCount)).toBe(villages.length);
    expect(sum((c) => c.healthcare.clinicAccess.villagesWithin15Minutes)).toBe(
      province.healthcare.clinicAccess.villagesWithin15Minutes,
    );
    expect(sum((c) => c.healthcare.assistedBookings.total)).toBe(
      province.healthcare.assistedBookings.total,
    );
    for (const key of ['villageClinics', 'townshipHealthCentres', 'countyHospitals', 'doctors']) {
      expect(sum((c) => c.healthcare.facilities[key])).toBe(province.healthcare.facilities[key]);
    }
    // One health centre per loaded township, two hospitals per county of those townships.
    expect(province.healthcare.facilities.townshipHealthCentres).toBe(11);
    expect(province.healthcare.facilities.countyHospitals).toBe(22);
    const p = province.healthcare;
    expect(p.clinicAccess.shareWithin15Minutes).toBeCloseTo(
      p.clinicAccess.villagesWithin15Minutes / p.ruralVillageCount,
      4,
    );
    expect(p.clinicAccess.villagesWithin30Minutes).toBeGreaterThanOrEqual(
      p.clinicAccess.villagesWithin15Minutes,
    );
    expect(p.assistedBookings.months).toHaveLength(24);
    expect(p.doctorsPer1000Residents).toBeNull();
  });

  it('counts county hospitals for counties, not townships, and says every figure is synthetic', async () => {
    const [township, county] = await regions([CITY_TOWNSHIPS[0], CITY_TOWNSHIPS[0].slice(0, 6)]);
    expect(township.healthcare.facilities).toMatchObject({
      countyHospitals: 0,
      townshipHealthCentres: 1,
    });
    expect(county.healthcare.facilities).toMatchObject({
      countyHospitals: 2,
      townshipHealthCentres: 1,
    });
    expect(JSON.stringify(township.healthcare).match(/"kind":"(\w+)"/g)).toEqual(
      Array(6).fill('"kind":"SYNTHETIC"'),
    );
    // Places outside the loaded scope: null, and said so (not "no figures": no data loaded).
    const none = await healthcare.query<{ _entities: Figures[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region { ${FIGURES} } } }`,
      { r: ['11', '339999999'].map((code) => ({ __typename: 'Region', code })) },
    );
    expect(none.body.data!._entities.map((r) => r.healthcare)).toEqual([null, null]);
    expect(none.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['_entities', 0, 'healthcare'], 'NOT_LOADED'],
      [['_entities', 1, 'healthcare'], 'NOT_LOADED'],
    ]);
  });

  it('pages the facilities of a township and rejects a malformed region code', async () => {
    const township = CITY_TOWNSHIPS[5];
    const page = (after: string | null) =>
      healthcare.query<{
        facilities: {
          edges: { node: { id: string; level: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }>(
        `query($after: String) { facilities(regionCode: "${township}", first: 5, after: $after) {
          edges { node { id level } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: Awaited<ReturnType<typeof page>> = await page(after);
      const conn = res.body.data!.facilities;
      ids.push(...conn.edges.map((e) => e.node.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(ids).toEqual([...ids].sort());
    expect(ids).toContain(`thc-${township}`);
    const clinics = ids.filter((id) => id.startsWith('clinic-'));
    const [region] = await regions([township]);
    expect(clinics).toHaveLength(region.healthcare.facilities.villageClinics);
    const bad = await healthcare.query('{ facilities(regionCode: "33x") { edges { cursor } } }');
    expect(bad.body.errors?.[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'regionCode',
    });
  });

  it('rejects a bad month range with BAD_USER_INPUT naming the argument', async () => {
    const res = await healthcare.query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region { healthcare {
        assistedBookings(from: "2021-13", to: "2021-12") { total } } } } }`,
      { r: [{ __typename: 'Region', code: '33' }] },
    );
    expect(res.body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('reseeding is idempotent and another seed changes synthetic values only', async () => {
    const before = await regions(['33']);
    await healthcareSubgraph.seed(healthcare.started.orm, { scope: CITY_TOWNSHIPS[0], seed: 1 });
    expect(await regions(['33'])).toEqual(before);
    await healthcareSubgraph.seed(healthcare.started.orm, { scope: CITY_TOWNSHIPS[0], seed: 2 });
    const other = (await regions(['33']))[0].healthcare;
    expect(other.ruralVillageCount).toBe(before[0].healthcare.ruralVillageCount);
    expect(other.facilities.townshipHealthCentres).toBe(11);
    expect(other.assistedBookings.total).not.toBe(before[0].healthcare.assistedBookings.total);
    await healthcareSubgraph.seed(healthcare.started.orm, { scope: CITY_TOWNSHIPS[0], seed: 1 });
    expect(await regions(['33'])).toEqual(before);
  });
});
