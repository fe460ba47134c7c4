import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_OPERATIONS } from '../gateway/analyst/examples.js';
import {
  byHand,
  COMPONENTS,
  documentedWeights,
  RANKING,
  resetSqlCounts,
  sqlCounts,
  type Components,
  type Index,
  type RankEntry,
  type RegionRankings,
  type RegionTrends,
} from './support/digital-index.js';
import { bootStack, type Stack } from './support/stack.js';

// Province-wide, so that the cities' figures and the calibrated coverage are complete.
let stack: Stack;

beforeAll(async () => {
  stack = await bootStack({ scopes: ['zhejiang'] });
}, 600_000);
afterAll(async () => {
  await stack?.close();
});

describe('digital-village index through the gateway', () => {
  it("ranks Zhejiang's 11 cities by index with their figures, in a fixed number of statements", async () => {
    resetSqlCounts(stack);
    const cities = await stack.query<{ region: { childrenByIndex: RankEntry[] } }>(RANKING, {
      code: '33',
      first: 20,
    });
    const cityCounts = sqlCounts(stack);
    expect(cities.body.errors).toBeUndefined();
    const entries = cities.body.data!.region.childrenByIndex;
    expect(entries).toHaveLength(11);
    expect(entries.map((e) => e.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(entries.map((e) => e.region.code).sort()).toEqual(
      ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11'].map((c) => `33${c}`),
    );
    const scores = entries.map((e) => e.index.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const e of entries) {
      expect(e.region.level).toBe('CITY');
      expect(e.index.code).toBe(e.region.code);
      expect(e.index.score).toBeGreaterThan(0);
      expect(e.index.score).toBeLessThanOrEqual(100);
      // The components are the published figures, normalised (4 decimals).
      expect(e.index.components.cultureCoverage).toBeCloseTo(e.region.culture.coverage, 4);
      expect(e.index.components.clinicAccess).toBeCloseTo(
        e.region.healthcare.clinicAccess.shareWithin30Minutes,
        4,
      );
      expect(e.region.commerce.stores.total).toBeGreaterThan(0);
      expect(e.index.provenance.kind).toBe('SYNTHETIC');
      expect(e.index.provenance.note).toMatch(/Synthetic: the culture, healthcare, commerce/);
    }
    // Lishui holds Songyang's 1,500 tea stores: the most stores per rural village.
    const lishui = entries.find((e) => e.region.code === '3311')!;
    expect(lishui.index.components.onlineStores).toBe(
      Math.max(...entries.map((e) => e.index.components.onlineStores)),
    );

    resetSqlCounts(stack);
    const counties = await stack.query<{ region: { childrenByIndex: RankEntry[] } }>(RANKING, {
      code: '3311',
      first: 20,
    });
    expect(counties.body.errors).toBeUndefined();
    expect(counties.body.data!.region.childrenByIndex).toHaveLength(9);
    // Default engine (README). Places 6 or 7 at either level: the children's counts culture's
    // index input requires (REGION_COUNTS) are read alone or with another load, as batches fall.
    const countyCounts = sqlCounts(stack);
    for (const counts of [cityCounts, countyCounts]) {
      expect({ ...counts, places: 0 }).toEqual({
        places: 0,
        culture: 3,
        healthcare: 3,
        commerce: 4,
      });
      expect(counts.places).toBeGreaterThanOrEqual(6);
      expect(counts.places).toBeLessThanOrEqual(7);
    }
  });

  it('gives a score the documented formula reproduces by hand for one village', async () => {
    const res = await stack.query<{ village: Record<string, never> }>(`{
      village(code: "330203009205") { name
        culture { indexComponents { coverage usage } }
        healthcare { indexComponents { clinicAccess assistedBookings } }
        commerce { indexComponents { stores onlineRevenue } }
        digitalIndex { code year score ${COMPONENTS} weights { cultureCoverage cultureUsage
          clinicAccess assistedBookings onlineStores onlineRevenue } provenance { kind } } } }`);
    expect(res.body.errors).toBeUndefined();
    const v = res.body.data!.village as unknown as {
      culture: { indexComponents: { coverage: number; usage: number } };
      healthcare: { indexComponents: { clinicAccess: number; assistedBookings: number } };
      commerce: { indexComponents: { stores: number; onlineRevenue: number } };
      digitalIndex: Index & { year: number; weights: Components };
    };
    const weights = documentedWeights();
    expect(v.digitalIndex.weights).toEqual(weights);
    // The index host takes each domain's published components unchanged.
    expect(v.digitalIndex.components).toEqual({
      cultureCoverage: v.culture.indexComponents.coverage,
      cultureUsage: v.culture.indexComponents.usage,
      clinicAccess: v.healthcare.indexComponents.clinicAccess,
      assistedBookings: v.healthcare.indexComponents.assistedBookings,
      onlineStores: v.commerce.indexComponents.stores,
      onlineRevenue: v.commerce.indexComponents.onlineRevenue,
    });
    expect(v.digitalIndex.score).toBe(byHand(v.digitalIndex.components, weights));
    expect(v.digitalIndex).toMatchObject({
      code: '330203009205',
      year: 2020,
      provenance: { kind: 'SYNTHETIC' },
    });
    // The README's worked example is this village with the default seed.
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain(`index = **${v.digitalIndex.score.toFixed(1)}**`);
  });

  it("ranks a county's rural villages by index, consistent with each village's own index", async () => {
    resetSqlCounts(stack);
    const res = await stack.query<{
      region: {
        villagesByIndex: { rank: number; village: Record<string, unknown>; index: Index }[];
      };
    }>(`{ region(code: "331124") { name villagesByIndex(first: 10) {
          rank village { code name kind county { code } } index { code score ${COMPONENTS} } } } }`);
    expect(res.body.errors).toBeUndefined();
    const ranked = res.body.data!.region.villagesByIndex;
    expect(ranked).toHaveLength(10);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const scores = ranked.map((r) => r.index.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const r of ranked) {
      expect(r.village).toMatchObject({ kind: 'RURAL_VILLAGE', county: { code: '331124' } });
      expect(r.index.code).toBe(r.village.code);
    }
    const perSubgraph = sqlCounts(stack);
    // Songyang's 203 rural villages: one IN query per loader, whatever their number.
    expect(perSubgraph).toEqual({ places: 4, culture: 2, healthcare: 2, commerce: 2 });

    // The top village's own index agrees with the ranking.
    const top = ranked[0];
    const own = await stack.query<{ village: { digitalIndex: Index } }>(
      `query($code: ID!) { village(code: $code) { digitalIndex { code score ${COMPONENTS} } } }`,
      { code: top.village.code },
    );
    expect(own.body.data!.village.digitalIndex).toEqual({
      code: top.index.code,
      score: top.index.score,
      components: top.index.components,
    });

    const city = await stack.query(
      `{ region(code: "3311") { villagesByIndex(first: 3) { rank } } }`,
    );
    expect(city.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'villagesByIndex',
    });
  });

  it("gives Zhejiang's index beside each domain's figures in one query", async () => {
    const res = await stack.query<{ region: Record<string, never> }>(`{ region(code: "33") {
        culture { coveragePercent indexComponents { coverage usage visitsPerAuditoriumMonth } }
        healthcare { indexComponents { clinicAccess assistedBookings bookingsPerVillageMonth } }
        commerce { indexComponents { stores onlineRevenue storesPerVillage revenuePerVillage { amount } } }
        digitalIndex { score ${COMPONENTS} provenance { kind source } } } }`);
    expect(res.body.errors).toBeUndefined();
    const r = res.body.data!.region as unknown as {
      culture: { coveragePercent: number; indexComponents: { coverage: number } };
      digitalIndex: Index;
    };
    expect(r.culture.coveragePercent).toBe(91.3);
    expect(r.culture.indexComponents.coverage).toBe(0.913);
    expect(r.digitalIndex.components.cultureCoverage).toBe(0.913);
    expect(r.digitalIndex.score).toBe(byHand(r.digitalIndex.components, documentedWeights()));
  });
});

describe('region analytics through the gateway', () => {
  it('ranks child regions by culture and healthcare figures from their rollups', async () => {
    const query = (code: string) =>
      stack.query<{ region: Record<string, never> }>(`{ region(code: "${code}") {
        children { code culture { coverage } healthcare { clinicAccess { shareWithin30Minutes } } }
        culture {
          byCoverage: childRanking(by: COVERAGE, first: 100) { rank region { code } value coverage }
          byVisits: childRanking(by: VISITS, from: "2020-01", to: "2020-12", first: 3) {
            rank region { code } value } }
        healthcare {
          byAccess: childRanking(by: CLINIC_WITHIN_30_MINUTES_SHARE, first: 100) {
            rank region { code } value ruralVillageCount }
          byBookings: childRanking(by: ASSISTED_BOOKINGS, from: "2020-01", to: "2020-12", first: 3) {
            rank region { code } value } } } }`);
    resetSqlCounts(stack);
    const province = await query('33');
    const provinceCounts = sqlCounts(stack);
    resetSqlCounts(stack);
    const city = await query('3311');
    expect(sqlCounts(stack)).toEqual(provinceCounts);
    for (const res of [province, city]) {
      expect(res.body.errors).toBeUndefined();
      const region = res.body.data!.region as unknown as RegionRankings;
      const coverage = new Map(region.children.map((c) => [c.code, c.culture.coverage]));
      const access = new Map(
        region.children.map((c) => [c.code, c.healthcare.clinicAccess.shareWithin30Minutes]),
      );
      expect(region.culture.byCoverage).toHaveLength(region.children.length);
      for (const e of region.culture.byCoverage) expect(e.value).toBe(coverage.get(e.region.code));
      const values = region.culture.byCoverage.map((e) => e.value);
      expect(values).toEqual([...values].sort((a, b) => b - a));
      for (const e of region.healthcare.byAccess) expect(e.value).toBe(access.get(e.region.code));
      const shares = region.healthcare.byAccess.map((e) => e.value);
      expect(shares).toEqual([...shares].sort((a, b) => b - a));
      expect(region.culture.byVisits).toHaveLength(3);
      expect(region.healthcare.byBookings).toHaveLength(3);
      expect(region.culture.byVisits[0].value).toBeGreaterThanOrEqual(
        region.culture.byVisits[2].value,
      );
    }
    expect(
      (
        await stack.query(
          `{ region(code: "33") { culture { childRanking(by: VISITS) { rank } } } }`,
        )
      ).body.errors?.[0]?.extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it("answers README's region analytics query (figures, rankings, trends, index) in one request", async () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Region analytics'));
    const document = /```graphql\n([\s\S]*?)```/.exec(section)![1];
    const res = await stack.query<{ region: Record<string, unknown> }>(document);
    expect(res.body.errors).toBeUndefined();
    expect(Object.keys(res.body.data!.region)).toEqual([
      'name',
      'culture',
      'healthcare',
      'commerce',
      'childrenByIndex',
    ]);
    expect(res.body.data!.region.childrenByIndex).toHaveLength(11);
  });

  it('returns a month-by-month trend from each domain in one query', async () => {
    const res = await stack.query<{ region: Record<string, never> }>(`{ region(code: "3311") {
        culture { usage(from: "2020-01", to: "2020-12") { visits months { month visits
          assistedSessions { total } } } }
        healthcare { assistedBookings(from: "2020-01", to: "2020-12") { total months { month total } } }
        commerce { onlineSales(from: "2020-01", to: "2020-12") { orders revenue { amount }
          months { month orders revenue { amount currency } } } } } }`);
    expect(res.body.errors).toBeUndefined();
    const r = res.body.data!.region as unknown as RegionTrends;
    const year = Array.from({ length: 12 }, (_, i) => `2020-${String(i + 1).padStart(2, '0')}`);
    expect(r.culture.usage.months.map((m) => m.month)).toEqual(year);
    expect(r.healthcare.assistedBookings.months.map((m) => m.month)).toEqual(year);
    expect(r.commerce.onlineSales.months.map((m) => m.month)).toEqual(year);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(r.culture.usage.months.map((m) => m.visits))).toBe(r.culture.usage.visits);
    expect(sum(r.healthcare.assistedBookings.months.map((m) => m.total))).toBe(
      r.healthcare.assistedBookings.total,
    );
    expect(sum(r.commerce.onlineSales.months.map((m) => m.orders))).toBe(
      r.commerce.onlineSales.orders,
    );
    // Money stays exact: sum the month amounts as integer fen.
    const fen = (amount: string) => BigInt(amount.replace('.', ''));
    expect(r.commerce.onlineSales.months.reduce((acc, m) => acc + fen(m.revenue.amount), 0n)).toBe(
      fen(r.commerce.onlineSales.revenue.amount),
    );
    // Months without data are listed as zero (culture's seeded usage ends in 2020-12).
    const later = await stack.query<{ region: { culture: { usage: { months: unknown[] } } } }>(
      `{ region(code: "3311") { culture { usage(from: "2020-12", to: "2021-01") {
          months { month visits } } } } }`,
    );
    expect(later.body.data!.region.culture.usage.months).toEqual([
      { month: '2020-12', visits: expect.any(Number) },
      { month: '2021-01', visits: 0 },
    ]);
  });
});

describe('GraphiQL examples of the analysts', () => {
  it.each(['ProvinceOverview', 'CountiesByIndex', 'VillagesByIndex', 'RegionTrends', 'SalesTrend'])(
    '%s runs without errors',
    async (name) => {
      const example = EXAMPLE_OPERATIONS.find((e) => e.name === name)!;
      const res = await stack.query(example.document, example.variables);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toBeTruthy();
    },
  );
});
