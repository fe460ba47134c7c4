import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { XINHUA_2021 } from '../subgraphs/shared/provenance.js';
import { bootStack, type Stack } from './support/stack.js';

// Province-wide: the 91.3 % is calibrated over all of Zhejiang, and places must hold the same
// scope so that the gateway can send each region's rural village count to culture.
let stack: Stack;

beforeAll(async () => {
  stack = await bootStack({ scopes: ['zhejiang'] });
});
afterAll(async () => {
  await stack?.close();
});

interface CountyRow {
  code: string;
  ruralVillageCount: number;
  culture: { ruralVillagesCovered: number; coverage: number | null } | null;
}

describe('culture through the gateway', () => {
  it("gives Zhejiang's published auditorium count and coverage with their source", async () => {
    const res = await stack.query(`{ region(code: "33") { name ruralVillageCount culture {
        auditoriumCount ruralVillagesCovered coveragePercent
        provenance { kind source asOf }
        usage(from: "2020-01", to: "2020-12") { reports provenance { kind } } } } }`);
    expect(res.body.errors).toBeUndefined();
    const region = (res.body.data as { region: Record<string, unknown> }).region;
    expect(region).toMatchObject({
      name: '浙江省',
      ruralVillageCount: 19_429,
      culture: {
        auditoriumCount: 17_739,
        ruralVillagesCovered: 17_739,
        coveragePercent: 91.3,
        provenance: { kind: 'REPORTED', source: XINHUA_2021, asOf: '2020-12-31' },
        usage: { provenance: { kind: 'SYNTHETIC' } },
      },
    });
    const culture = region.culture as { auditoriumCount: number; usage: { reports: number } };
    expect(culture.auditoriumCount).toBeGreaterThan(17_000);
    // Every auditorium open in 2020 reported twelve months.
    expect(culture.usage.reports).toBeGreaterThan(17_000 * 12 * 0.8);
  });

  it('lists all 90 counties with their coverage in as many culture statements as one city', async () => {
    const counties = (code: string) =>
      stack.query<{ region: { children: { children: CountyRow[] }[] } }>(
        `{ region(code: "${code}") { children { children {
            code ruralVillageCount culture { ruralVillagesCovered coverage } } } } }`,
      );
    const cultureSql = stack.subgraphs.culture.sql;
    cultureSql.reset();
    const province = await counties('33');
    const provinceStatements = cultureSql.count;
    const rows = province.body.data!.region.children.flatMap((c) => c.children);
    expect(rows).toHaveLength(90);
    for (const row of rows) {
      expect(row.culture).not.toBeNull();
      if (row.ruralVillageCount === 0) expect(row.culture!.coverage).toBeNull();
      else
        // To 4 decimals, an exact half up (in ten-thousandths, whole numbers until they divide).
        expect(row.culture!.coverage).toBe(
          Math.round((row.culture!.ruralVillagesCovered * 10_000) / row.ruralVillageCount) / 10_000,
        );
    }
    cultureSql.reset();
    const city = await stack.query<{ region: { children: CountyRow[] } }>(
      `{ region(code: "3311") { children { code ruralVillageCount culture { coverage } } } }`,
    );
    expect(city.body.data!.region.children.length).toBeLessThan(90);
    expect(cultureSql.count).toBe(provinceStatements);
    expect(provinceStatements).toBe(1);
  });

  it("joins Houcang's auditorium to the village data of the places subgraph", async () => {
    const res = await stack.query(`{ village(code: "330203009205") { name culture { auditorium {
        name services provenance { kind } village { code name county { name } } } } } }`);
    expect(res.body).toEqual({
      data: {
        village: {
          name: '后仓村村委会',
          culture: {
            auditorium: {
              name: '后仓村文化礼堂',
              services: [
                'BOOK_LENDING',
                'DIALECT_LEARNING',
                'TRADITIONAL_CULTURE_COURSES',
                'DIGITAL_LIBRARY_TERMINAL',
              ],
              provenance: { kind: 'REPORTED' },
              village: { code: '330203009205', name: '后仓村村委会', county: { name: '海曙区' } },
            },
          },
        },
      },
    });
  });
});

describe('rankings under a failed read', () => {
  // The subgraph's rollup table renamed away for one request: every read of it fails.
  it.each([
    ['culture', 'region_usage_rollup', 'culture', 'VISITS'],
    ['healthcare', 'region_booking_rollup', 'healthcare', 'ASSISTED_BOOKINGS'],
  ] as const)('%s: null with an error, never every child at 0', async (name, table, field, by) => {
    const knex = (stack.subgraphs[name].started.orm.em.fork() as EntityManager).getKnex();
    const ask = () =>
      stack.query<{ region: Record<string, { childRanking: { value: number }[] } | null> }>(
        `{ region(code: "3311") { ${field} { childRanking(by: ${by}, from: "2020-01", to: "2020-12") { value } } } }`,
      );
    const fine = await ask();
    expect(fine.body.errors).toBeUndefined();
    expect(fine.body.data!.region[field]!.childRanking.some((e) => e.value > 0)).toBe(true);
    await knex.raw(`alter table ${table} rename to ${table}_away`);
    try {
      const failed = await ask();
      expect(failed.body.errors?.[0].path).toEqual(['region', field, 'childRanking']);
      // The list is non-null: its null reaches the domain's field, the nearest nullable one.
      expect(failed.body.data?.region[field]?.childRanking ?? null).toBeNull();
    } finally {
      await knex.raw(`alter table ${table}_away rename to ${table}`);
    }
  });
});
