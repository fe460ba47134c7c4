import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from './support/databases.js';
import { CONTAINS } from './support/parity-documents.js';
import { bootStack, type Stack } from './support/stack.js';

/**
 * The documented answers where databases are known to differ, checked on the engine of the run
 * (SQLite or PostgreSQL), so each CI pass checks its own: text filters are literal substrings
 * (`%`, `_` and non-ASCII text as they are; Latin letters by case, though the seeded names and
 * titles hold none), rankings are ordered "highest first; ties (and
 * null values, last) by code", and a range's totals are the sums of its months, money to the fen.
 * test/database-parity.test.ts compares the two engines' answers directly.
 */
const COUNTY = '331124';
let stack: Stack;

beforeAll(async () => {
  stack = await bootStack({ scopes: [COUNTY], env: { MAX_COST: '10000000' } });
}, 240_000);

afterAll(async () => {
  await stack?.close();
});

type Edges<N> = { edges: { node: N }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };

/** Every node of a connection, walked with `after`. */
async function all<N>(field: string, node: string): Promise<N[]> {
  const nodes: N[] = [];
  let after: string | null = null;
  do {
    const r = await stack.query<{ x: Edges<N> }>(
      `query ($a: String) { x: ${field} { edges { node { ${node} } } pageInfo { hasNextPage endCursor } } }`,
      { a: after },
    );
    expect(r.body.errors).toBeUndefined();
    const x: Edges<N> = r.body.data!.x;
    nodes.push(...x.edges.map((e) => e.node));
    after = x.pageInfo.hasNextPage ? x.pageInfo.endCursor : null;
  } while (after);
  return nodes;
}

/** Yuan with two decimals as whole fen, exactly. */
const fen = (amount: string) => {
  expect(amount).toMatch(/^\d+\.\d{2}$/);
  return BigInt(amount.replace('.', ''));
};

describe(`documented answers on ${ENGINE}`, () => {
  it('finds names and titles holding the text as it is, LIKE wildcards included', async () => {
    const villages = await all<{ code: string; name: string }>(
      `villages(first: 100, after: $a, filter: { regionCode: "${COUNTY}" })`,
      'code name',
    );
    const resources = await all<{ id: string; title: string }>(
      'digitalResources(first: 100, after: $a)',
      'id title',
    );
    // Parts of real names and titles (and their upper case, where they have Latin letters).
    const parts = [villages[7].name.slice(1, 3), resources[3].title.slice(0, 4)];
    const texts = [...CONTAINS, ...parts, ...parts.map((p) => p.toUpperCase())];
    let found = 0;
    for (const text of texts) {
      const r = await stack.query<{
        v: { totalCount: number; edges: { node: { code: string } }[] };
        d: { totalCount: number; edges: { node: { id: string } }[] };
      }>(
        `query ($t: String) {
          v: villages(first: 100, filter: { nameContains: $t }) { totalCount edges { node { code } } }
          d: digitalResources(first: 100, filter: { titleContains: $t }) { totalCount edges { node { id } } } }`,
        { t: text },
      );
      expect(r.body.errors, text).toBeUndefined();
      const codes = villages.filter((v) => v.name.includes(text)).map((v) => v.code);
      const ids = resources.filter((d) => d.title.includes(text)).map((d) => d.id);
      expect(r.body.data!.v.totalCount, text).toBe(codes.length);
      expect(
        r.body.data!.v.edges.map((e) => e.node.code),
        text,
      ).toEqual(codes.slice(0, 100));
      expect(r.body.data!.d.totalCount, text).toBe(ids.length);
      expect(
        r.body.data!.d.edges.map((e) => e.node.id),
        text,
      ).toEqual(ids.slice(0, 100));
      found += codes.length + ids.length;
    }
    expect(found).toBeGreaterThan(0);
  });

  it('ranks highest first, ties and null values last by code', async () => {
    const range = 'from: "2020-01", to: "2020-12"';
    const metrics = {
      culture: ['COVERAGE', 'AUDITORIUM_COUNT', 'VISITS', 'EVENTS', 'DIGITAL_SERVICE_HUB_COUNT'],
      healthcare: ['CLINIC_WITHIN_15_MINUTES_SHARE', 'FAMILY_DOCTOR_SHARE', 'ASSISTED_BOOKINGS'],
      commerce: ['STORE_COUNT', 'JOBS', 'ONLINE_REVENUE', 'ORDERS', 'SERVICE_POINT_COUNT'],
    };
    const value = { culture: 'value', healthcare: 'value', commerce: 'count revenue { amount }' };
    let ties = 0;
    for (const code of ['33', COUNTY]) {
      for (const [domain, list] of Object.entries(metrics) as [keyof typeof metrics, string[]][]) {
        const fields = list.map(
          (m) => `${m}: childRanking(by: ${m}, ${range}) { rank region { code } ${value[domain]} }`,
        );
        const r = await stack.query<{ region: Record<string, Record<string, RankEntry[]>> }>(
          `{ region(code: "${code}") { ${domain} { ${fields.join('\n')} } } }`,
        );
        expect(r.body.errors).toBeUndefined();
        for (const [metric, entries] of Object.entries(r.body.data!.region[domain])) {
          const where = `${code} ${metric}`;
          expect(entries.length, where).toBeGreaterThan(0);
          expect(
            entries.map((e) => e.rank),
            where,
          ).toEqual(entries.map((_, i) => i + 1));
          const values = entries.map(numeric);
          const expected = entries
            .map((e, i) => ({ code: e.region.code, v: values[i] }))
            .sort((a, b) =>
              a.v === b.v
                ? a.code < b.code
                  ? -1
                  : 1
                : a.v === null
                  ? 1
                  : b.v === null
                    ? -1
                    : b.v - a.v,
            );
          expect(
            entries.map((e) => e.region.code),
            where,
          ).toEqual(expected.map((e) => e.code));
          ties += values.filter((v, i) => i > 0 && v === values[i - 1]).length;
        }
      }
    }
    // Ties are what databases order differently: the seeded county has some (shares of 1).
    expect(ties).toBeGreaterThan(0);
  });

  it('answers the totals of a month range as the sums of its months, money to the fen', async () => {
    for (const code of [COUNTY, `${COUNTY}001`]) {
      const r = await stack.query<{ region: Record<string, any> }>( // eslint-disable-line @typescript-eslint/no-explicit-any
        `{ region(code: "${code}") {
          commerce { onlineSales(from: "2020-11", to: "2021-04") { orders revenue { amount }
            months { orders revenue { amount } } } }
          culture { usage(from: "2019-06", to: "2020-07") { visits events eventAttendance
            months { visits events eventAttendance } } }
          healthcare { assistedBookings(from: "2020-03", to: "2021-02") { total months { total } } } } }`,
      );
      expect(r.body.errors).toBeUndefined();
      const { commerce, culture, healthcare } = r.body.data!.region;
      const sales = commerce.onlineSales;
      const sum = <T>(items: T[], f: (x: T) => number) => items.reduce((s, x) => s + f(x), 0);
      type Month = Record<string, number> & { revenue: { amount: string } };
      expect(sales.months).toHaveLength(6);
      expect(sales.orders).toBe(sum(sales.months as Month[], (m) => m.orders));
      expect(fen(sales.revenue.amount)).toBe(
        (sales.months as Month[]).reduce((s, m) => s + fen(m.revenue.amount), 0n),
      );
      const usage = culture.usage;
      for (const f of ['visits', 'events', 'eventAttendance'])
        expect(usage[f], f).toBe(sum(usage.months as Month[], (m) => m[f]));
      const bookings = healthcare.assistedBookings;
      expect(bookings.total).toBe(sum(bookings.months as Month[], (m) => m.total));
      expect(sales.orders * usage.visits * bookings.total).toBeGreaterThan(0);
    }
  });
});

type RankEntry = {
  rank: number;
  region: { code: string };
  value?: number | null;
  count?: number | null;
  revenue?: { amount: string } | null;
};

/** The figure a ranking entry is ordered by. */
function numeric(e: RankEntry): number | null {
  if (e.value !== undefined) return e.value;
  if (e.count !== undefined && e.count !== null) return e.count;
  return e.revenue ? Number(e.revenue.amount) : null;
}
