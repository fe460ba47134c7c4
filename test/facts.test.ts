import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNTHETIC_SOURCE, XINHUA_2021 } from '../subgraphs/shared/provenance.js';
import { bootStack, type Stack } from './support/stack.js';

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Every line of the published figures (Xinhua 2021) through the gateway: each is returned with
 * REPORTED provenance, the article as source and its as-of date, and a synthetic figure next to
 * it says SYNTHETIC. All of Zhejiang is loaded: the province figures need the whole province.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await bootStack({ scopes: ['zhejiang'] });
});
afterAll(() => stack?.close());

async function data(q: string): Promise<Data> {
  const res = await stack.query(q);
  expect(res.body.errors).toBeUndefined();
  return res.body.data as Data;
}

const P = 'provenance { kind source asOf }';
const reported = (asOf: string) => ({ kind: 'REPORTED', source: XINHUA_2021, asOf });
const synthetic = expect.objectContaining({ kind: 'SYNTHETIC', source: SYNTHETIC_SOURCE });
const fact = (id: string, asOf: string) =>
  expect.objectContaining({ id, provenance: expect.objectContaining(reported(asOf)) });

describe('the published figures, through the gateway', () => {
  it('Zhejiang: over 17,000 auditoriums covering 91.3 % of rural villages, also digital hubs (end of 2020)', async () => {
    const d = await data(`{ region(code: "33") { culture {
      auditoriumCount coveragePercent ${P}
      reportedFacts { id statement provenance { kind source asOf note } }
      usage(from: "2020-01", to: "2020-12") { visits provenance { kind source } } } }
      city: region(code: "3302") { culture { auditoriumCount provenance { kind source } } } }`);
    const culture = d.region.culture;
    expect(culture.auditoriumCount).toBeGreaterThan(17_000);
    expect(culture.coveragePercent).toBe(91.3);
    expect(culture.provenance).toEqual(reported('2020-12-31'));
    expect(culture.reportedFacts).toEqual([
      fact('zhejiang-auditorium-count', '2020-12-31'),
      fact('zhejiang-auditorium-coverage', '2020-12-31'),
      fact('zhejiang-auditoriums-digital-hubs', '2020-12-31'),
    ]);
    expect(culture.reportedFacts[2].statement).toMatch(/hubs of digital public services/);
    // Next to them: generated figures say so.
    expect(culture.usage.provenance).toEqual(synthetic);
    expect(d.city.culture.provenance).toEqual(synthetic);
  });

  it('Songyang: about 1,500 online tea stores, over 7,000 jobs, parks built (2021)', async () => {
    const d = await data(`{ region(code: "331124") { commerce {
      stores { total ${P} } jobs { count ${P} } parks { count ${P} }
      reportedFacts { id ${P} }
      onlineSales(from: "2021-01", to: "2021-12") { ${P} } } } }`);
    const c = d.region.commerce;
    expect(c.stores).toEqual({ total: 1500, provenance: reported('2021') });
    expect(c.jobs).toEqual({ count: 7000, provenance: reported('2021') });
    expect(c.reportedFacts).toEqual([
      fact('songyang-online-tea-stores', '2021'),
      fact('songyang-online-tea-jobs', '2021'),
      fact('songyang-ecommerce-parks', '2021'),
    ]);
    // The park count is not reported: the records and their number are synthetic.
    expect(c.parks.count).toBeGreaterThan(0);
    expect(c.parks.provenance).toEqual(synthetic);
    expect(c.onlineSales.provenance).toEqual(synthetic);
  });

  it("Huang Jiefei's enterprise: 160 million yuan online, over 1,000 farmers, Pinduoduo (2020)", async () => {
    const d = await data(`{ enterprise(id: "ent-331124-huang-jiefei") {
      ownerName platforms ${P}
      years { year onlineRevenue { amount currency } farmersConnected ${P} }
      stores(first: 1) { edges { node { monthlySales(from: "2020-04", to: "2020-04") { ${P} } } } } } }`);
    const e = d.enterprise;
    expect(e.ownerName).toBe('Huang Jiefei');
    expect(e.platforms).toContain('PINDUODUO');
    expect(e.provenance).toEqual(reported('2020'));
    expect(e.years.find((y: Data) => y.year === 2020)).toEqual({
      year: 2020,
      onlineRevenue: { amount: '160000000.00', currency: 'CNY' },
      farmersConnected: 1000,
      provenance: reported('2020'),
    });
    expect(e.stores.edges[0].node.monthlySales[0].provenance).toEqual(synthetic);
  });

  it('Houcang: an auditorium offering books, dialect learning and traditional culture through digital resources (2021)', async () => {
    const d = await data(`{ village(code: "330203009205") { name culture { auditorium {
      services ${P} usage(from: "2020-01", to: "2020-01") { ${P} } } } } }`);
    const a = d.village.culture.auditorium;
    expect(d.village.name).toBe('后仓村村委会');
    expect(a.services).toEqual(
      expect.arrayContaining([
        'BOOK_LENDING',
        'DIALECT_LEARNING',
        'TRADITIONAL_CULTURE_COURSES',
        'DIGITAL_LIBRARY_TERMINAL',
      ]),
    );
    expect(a.provenance).toEqual(reported('2021'));
    expect(a.usage[0].provenance).toEqual(expect.objectContaining({ kind: 'SYNTHETIC' }));
  });

  it('Baoshanqiao (宝善桥, by romanisation): help booking doctor appointments online at the auditorium (2021)', async () => {
    const d = await data(`{ village(code: "330603011258") { name
      culture { auditorium { services provenance { kind source asOf note } } }
      healthcare { assistancePoints { kind helpsWith provenance { kind source asOf note }
        assistedBookings(from: "2021-01", to: "2021-01", first: 1) { edges { node { ${P} } } } } } } }`);
    expect(d.village.name).toBe('宝善桥村委会');
    const auditorium = d.village.culture.auditorium;
    expect(auditorium.services).toContain('MEDICAL_APPOINTMENT_HELP');
    expect(auditorium.provenance).toEqual(expect.objectContaining(reported('2021')));
    expect(auditorium.provenance.note).toMatch(/romanisation/);
    const point = d.village.healthcare.assistancePoints.find(
      (p: Data) => p.kind === 'CULTURE_AUDITORIUM',
    );
    expect(point.helpsWith).toEqual(['DOCTOR_APPOINTMENT']);
    expect(point.provenance).toEqual(expect.objectContaining(reported('2021')));
    expect(point.provenance.note).toMatch(/romanises/);
    expect(point.assistedBookings.edges[0].node.provenance).toEqual(synthetic);
  });

  it('Jingning: tea-leaf processing workshops exist (2021); their count is synthetic', async () => {
    const d = await data(`{ region(code: "331127") { name commerce {
      reportedFacts { id statement ${P} } processingWorkshops { count ${P} } } }
      processingWorkshops(regionCode: "331127", first: 1) { edges { node { product ${P} } } } }`);
    expect(d.region.name).toBe('景宁畲族自治县');
    expect(d.region.commerce.reportedFacts).toEqual([
      fact('jingning-tea-processing-workshops', '2021'),
    ]);
    expect(d.region.commerce.processingWorkshops.count).toBeGreaterThan(0);
    expect(d.region.commerce.processingWorkshops.provenance).toEqual(synthetic);
    expect(d.processingWorkshops.edges[0].node).toEqual({
      product: 'TEA',
      provenance: synthetic,
    });
  });

  it('reports nothing where the source says nothing', async () => {
    const d = await data(`{ region(code: "3302") {
      culture { reportedFacts { id } } commerce { reportedFacts { id } } } }`);
    expect(d.region).toEqual({ culture: { reportedFacts: [] }, commerce: { reportedFacts: [] } });
  });
});
