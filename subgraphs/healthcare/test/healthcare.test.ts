import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootStack, type Stack } from '../../../test/support/stack.js';
import { bootSubgraph, type BootedSubgraph } from '../../../test/support/subgraph.js';
import { readDivisions } from '../../shared/divisions.js';
import { ProvenanceKind, XINHUA_2021 } from '../../shared/provenance.js';
import { healthcareSubgraph } from '../index.js';
import { BAOSHANQIAO_CODE, BAOSHANQIAO_NOTE } from '../seed/baoshanqiao.js';
import { BAOSHANQIAO_TOWNSHIP, gatewaySupergraphCopy, ruralVillages } from './fixtures.js';

let healthcare: BootedSubgraph;
beforeAll(async () => {
  healthcare = await bootSubgraph(healthcareSubgraph as never, { scopes: [BAOSHANQIAO_TOWNSHIP] });
});
afterAll(() => healthcare?.close());

const FACILITY =
  'id name level regionCode doctorCount acceptsOnlineAppointments offersTelemedicine';
const PROFILE = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Village {
  code
  healthcare {
    clinic { id villageCode }
    access {
      nearestClinic { id level } clinicMinutes
      nearestTownshipHealthCentre { ${FACILITY} } townshipHealthCentreMinutes
      nearestCountyHospital { ${FACILITY} } countyHospitalMinutes
      familyDoctorCovered provenance { kind source }
    }
    facilities { id level openingHours { weekday opens closes } services provenance { kind } }
    assistancePoints {
      id kind villageCode helpsWith auditorium { id } facility { id }
      provenance { kind source asOf note }
      assistedBookings(first: 30) {
        edges { node { month doctorAppointments testResults insurance total provenance { kind } } }
        pageInfo { hasNextPage }
      }
    }
    telemedicine { facility { id level } partner { id level } sinceYear provenance { kind } }
  } } } }`;

type Profile = {
  code: string;
  healthcare: {
    clinic: { id: string } | null;
    access: Record<string, unknown> & {
      nearestClinic: { id: string } | null;
      clinicMinutes: number | null;
      nearestTownshipHealthCentre: Record<string, unknown>;
      nearestCountyHospital: Record<string, unknown>;
      townshipHealthCentreMinutes: number;
      countyHospitalMinutes: number;
    };
    facilities: { id: string; level: string }[];
    assistancePoints: {
      id: string;
      kind: string;
      helpsWith: string[];
      auditorium: { id: string } | null;
      provenance: Record<string, unknown>;
      assistedBookings: {
        edges: { node: { month: string; doctorAppointments: number; total: number } }[];
        pageInfo: { hasNextPage: boolean };
      };
    }[];
    telemedicine: { facility: { level: string }; partner: { level: string } }[];
  } | null;
};

async function profile(code: string): Promise<Profile> {
  const res = await healthcare.query<{ _entities: Profile[] }>(PROFILE, {
    r: [{ __typename: 'Village', code }],
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!._entities[0];
}

describe('village healthcare profile', () => {
  it('handles Baoshanqiao honestly: the only Shaoxing unit romanised so, with the reported fact', async () => {
    const spellings = ['宝山桥', '保山桥', '包山桥', '宝善桥', '葆山桥', '鲍山桥'];
    const matches: { code: string; name: string }[] = [];
    for await (const v of readDivisions('villages')) {
      if (v.cityCode === '3306' && spellings.some((s) => v.name.includes(s)))
        matches.push({ code: v.code, name: v.name });
    }
    // No 宝山桥 / 保山桥 / 包山桥: the only match is 宝善桥 (Bǎoshànqiáo), whose code we use.
    expect(matches).toEqual([{ code: BAOSHANQIAO_CODE, name: '宝善桥村委会' }]);

    const p = await profile(BAOSHANQIAO_CODE);
    const auditoriumPoint = p.healthcare!.assistancePoints.find(
      (a) => a.kind === 'CULTURE_AUDITORIUM',
    )!;
    expect(auditoriumPoint).toMatchObject({
      id: `ap-aud-${BAOSHANQIAO_CODE}`,
      helpsWith: ['DOCTOR_APPOINTMENT'],
      auditorium: { id: `aud-${BAOSHANQIAO_CODE}` },
      provenance: {
        kind: ProvenanceKind.REPORTED,
        source: XINHUA_2021,
        asOf: '2021',
        note: BAOSHANQIAO_NOTE,
      },
    });
    // The article gives no counts: the monthly figures say they are synthetic.
    const months = auditoriumPoint.assistedBookings.edges.map((e) => e.node);
    expect(months).toHaveLength(24);
    expect(months[0].month).toBe('2020-01');
    expect(months[23].month).toBe('2021-12');
    for (const m of months) expect(m).toMatchObject({ provenance: { kind: 'SYNTHETIC' } });
  });

  it('returns facilities, travel minutes, assistance points and telemedicine', async () => {
    const p = await profile(BAOSHANQIAO_CODE);
    const h = p.healthcare!;
    expect(h.access.nearestTownshipHealthCentre).toMatchObject({
      id: `thc-${BAOSHANQIAO_TOWNSHIP}`,
      name: '马鞍街道社区卫生服务中心',
      level: 'TOWNSHIP_HEALTH_CENTRE',
      regionCode: BAOSHANQIAO_TOWNSHIP,
      acceptsOnlineAppointments: expect.any(Boolean),
    });
    expect(h.access.nearestCountyHospital).toMatchObject({
      id: 'hosp-330603-1',
      name: '柯桥区人民医院',
      level: 'COUNTY_HOSPITAL',
      regionCode: '330603',
    });
    expect(h.access.townshipHealthCentreMinutes).toBeGreaterThanOrEqual(5);
    expect(h.access.countyHospitalMinutes).toBeGreaterThanOrEqual(15);
    expect(h.access.provenance).toEqual({ kind: 'SYNTHETIC', source: expect.any(String) });
    expect(h.facilities.map((f) => f.level)).toEqual(
      [
        h.access.nearestClinic ? 'VILLAGE_CLINIC' : null,
        'TOWNSHIP_HEALTH_CENTRE',
        'COUNTY_HOSPITAL',
      ].filter((l) => l !== null),
    );
    for (const link of h.telemedicine) {
      expect(['VILLAGE_CLINIC', 'TOWNSHIP_HEALTH_CENTRE']).toContain(link.facility.level);
      expect(['TOWNSHIP_HEALTH_CENTRE', 'COUNTY_HOSPITAL']).toContain(link.partner.level);
    }
  });

  it('pages a point’s months and answers null for an urban community', async () => {
    const res = await healthcare.query<{ assistancePoint: Record<string, unknown> }>(
      `{ assistancePoint(id: "ap-aud-${BAOSHANQIAO_CODE}") {
          assistedBookings(from: "2021-01", to: "2021-06", first: 4) {
            edges { node { month } } pageInfo { hasNextPage endCursor } } } }`,
    );
    expect(res.body.data?.assistancePoint).toEqual({
      assistedBookings: {
        edges: ['2021-01', '2021-02', '2021-03', '2021-04'].map((month) => ({ node: { month } })),
        pageInfo: { hasNextPage: true, endCursor: expect.any(String) },
      },
    });
    const urban = await healthcare.query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Village { healthcare { clinic { id } } } } }`,
      { r: [{ __typename: 'Village', code: '330603011001' }] },
    );
    expect(urban.body).toEqual({ data: { _entities: [{ healthcare: null }] } });
  });
});

const STACK_SCOPES = [BAOSHANQIAO_TOWNSHIP, '330603006', '330603008'];

describe('through the gateway', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await bootStack({
      // With two more Keqiao townships, where culture lacks an auditorium in a few villages.
      scopes: STACK_SCOPES,
      env: { SUPERGRAPH_PATH: gatewaySupergraphCopy() },
    });
  });
  afterAll(() => stack?.close());

  it('resolves the auditorium of each assistance point by the culture subgraph', async () => {
    type Aud = { id: string; name: string; villageCode: string };
    const res = await stack.query<{
      villages: {
        edges: {
          node: {
            code: string;
            culture: { auditorium: Aud | null } | null;
            healthcare: { assistancePoints: { kind: string; auditorium: Aud | null }[] } | null;
          };
        }[];
      };
    }>(`{ villages(filter: { regionCode: "330603", kind: RURAL_VILLAGE }, first: 100) {
      edges { node { code culture { auditorium { id name villageCode } }
        healthcare { assistancePoints { kind auditorium { id name villageCode } } } } } } }`);
    const villages = res.body.data!.villages.edges.map((e) => e.node);
    let own = 0;
    let nearby = 0;
    for (const v of villages) {
      for (const point of v.healthcare!.assistancePoints.filter(
        (a) => a.kind === 'CULTURE_AUDITORIUM',
      )) {
        // Always an auditorium culture has (its name comes from culture): the village's own
        // where culture has one, else one of another village of the same county.
        expect(point.auditorium?.name).toBeTruthy();
        if (v.culture?.auditorium) {
          expect(point.auditorium).toEqual(v.culture.auditorium);
          own++;
        } else {
          expect(point.auditorium!.villageCode.slice(0, 6)).toBe(v.code.slice(0, 6));
          expect(point.auditorium!.villageCode).not.toBe(v.code);
          nearby++;
        }
      }
    }
    expect(res.body.errors).toBeUndefined();
    expect(villages).toHaveLength(53);
    expect(own).toBeGreaterThan(0);
    expect(nearby).toBeGreaterThan(0);
  });

  it('serves the Shaoxing region figures next to the places subgraph’s own', async () => {
    const res = await stack.query(`{ region(code: "3306") { name healthcare {
      ruralVillageCount facilities { townshipHealthCentres countyHospitals }
      doctorsPer1000Residents } } }`);
    expect(res.body).toEqual({
      data: {
        region: {
          name: '绍兴市',
          healthcare: {
            ruralVillageCount: (await ruralVillages(STACK_SCOPES)).length,
            facilities: { townshipHealthCentres: 3, countyHospitals: 2 },
            doctorsPer1000Residents: null,
          },
        },
      },
    });
  });
});
