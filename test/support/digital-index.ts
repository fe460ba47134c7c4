/** What the digital-index tests share: the index's selection, the documented formula, a ranking. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Stack } from './stack.js';

export const COMPONENTS = `components { cultureCoverage cultureUsage clinicAccess assistedBookings
  onlineStores onlineRevenue }`;
export type Components = Record<
  | 'cultureCoverage'
  | 'cultureUsage'
  | 'clinicAccess'
  | 'assistedBookings'
  | 'onlineStores'
  | 'onlineRevenue',
  number
>;
export interface Index {
  code: string;
  score: number;
  components: Components;
  provenance: { kind: string; note: string };
}

/** The weights as README.md documents them (section "Digital-village index"). */
export function documentedWeights(): Components {
  const readme = readFileSync('README.md', 'utf8');
  // The weights table: between the section title and the worked example.
  const section = readme.slice(
    readme.indexOf('## Digital-village index'),
    readme.indexOf('**Worked example**'),
  );
  const weights = Object.fromEntries(
    [...section.matchAll(/^\| `(\w+)` \| ([01]\.\d+) \|/gm)].map((m) => [m[1], Number(m[2])]),
  );
  expect(Object.keys(weights).sort()).toEqual(
    [
      'assistedBookings',
      'clinicAccess',
      'cultureCoverage',
      'cultureUsage',
      'onlineRevenue',
      'onlineStores',
    ].sort(),
  );
  return weights as Components;
}

/**
 * The documented formula, round(100 × Σ weight × component, 1), in exact decimals: components
 * have 4 decimals and weights 2, so the sum in millionths is an integer (a sum of doubles turns
 * some exact halves, 0.6185, into 0.61849999…).
 */
export function byHand(components: Components, weights: Components): number {
  const order = Object.keys(weights) as (keyof Components)[];
  const millionths = order.reduce(
    (acc, k) => acc + Math.round(weights[k] * 100) * Math.round(components[k] * 10_000),
    0,
  );
  return Math.floor((millionths + 500) / 1000) / 10;
}

export const RANKING = `query Ranking($code: ID!, $first: Int) {
  region(code: $code) {
    name
    childrenByIndex(first: $first) {
      rank
      region { code name level
        culture { coverage }
        healthcare { clinicAccess { shareWithin30Minutes } }
        commerce { stores { total } } }
      index { code score ${COMPONENTS} provenance { kind note } }
    }
  }
}`;

export interface RankEntry {
  rank: number;
  region: {
    code: string;
    name: string;
    level: string;
    culture: { coverage: number };
    healthcare: { clinicAccess: { shareWithin30Minutes: number } };
    commerce: { stores: { total: number } };
  };
  index: Index;
}

/** SQL statements each subgraph ran since `resetSqlCounts` (the subgraphs' own counters). */
export function resetSqlCounts(stack: Stack): void {
  for (const s of Object.values(stack.subgraphs)) s.sql.reset();
}
export function sqlCounts(stack: Stack): Record<string, number> {
  return Object.fromEntries(Object.entries(stack.subgraphs).map(([n, s]) => [n, s.sql.count]));
}

/** Region rankings of the culture and healthcare rollups, as the analytics test selects them. */
export interface RegionRankings {
  children: {
    code: string;
    culture: { coverage: number };
    healthcare: { clinicAccess: { shareWithin30Minutes: number } };
  }[];
  culture: {
    byCoverage: { rank: number; region: { code: string }; value: number }[];
    byVisits: { value: number }[];
  };
  healthcare: {
    byAccess: { region: { code: string }; value: number }[];
    byBookings: { value: number }[];
  };
}

/** Month-by-month trends of the three domains, as the trends test selects them. */
export interface RegionTrends {
  culture: { usage: { visits: number; months: { month: string; visits: number }[] } };
  healthcare: {
    assistedBookings: { total: number; months: { month: string; total: number }[] };
  };
  commerce: {
    onlineSales: {
      orders: number;
      revenue: { amount: string };
      months: {
        month: string;
        orders: number;
        revenue: { amount: string; currency: string };
      }[];
    };
  };
}
