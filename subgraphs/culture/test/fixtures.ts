import { afterAll, beforeAll } from 'vitest';
import { bootSubgraph, type BootedSubgraph } from '../../../test/support/subgraph.js';
import type { EntityManager } from '../../shared/database.js';
import { isRuralVillageName, readDivisions } from '../../shared/divisions.js';
import { cultureSubgraph } from '../index.js';

/** Rural villages per region code (every level) of Zhejiang, as the places subgraph counts them. */
export async function zhejiangRuralCounts(): Promise<Map<string, number>> {
  const rural = new Map<string, number>();
  for await (const v of readDivisions('villages')) {
    if (v.provinceCode !== '33' || !isRuralVillageName(v.name)) continue;
    for (const code of [v.provinceCode, v.cityCode, v.areaCode, v.streetCode])
      rural.set(code, (rural.get(code) ?? 0) + 1);
  }
  return rural;
}

/** Region representations as the gateway sends them for `culture @requires(ruralVillageCount)`. */
export function regionRefsOf(rural: Map<string, number>) {
  return (codes: string[]) =>
    codes.map((code) => ({ __typename: 'Region', code, ruralVillageCount: rural.get(code) ?? 0 }));
}

/** The first column of the first row of `sql`, as a number, from the subgraph's database. */
export function scalarOf(culture: () => BootedSubgraph) {
  return async (sql: string): Promise<number> => {
    const em = culture().started.orm.em.fork() as EntityManager;
    const [row] = (await em.getConnection().execute(sql)) as Record<string, unknown>[];
    return Number(Object.values(row)[0]);
  };
}

/**
 * The culture subgraph seeded for `scopes`, booted before a test file's tests and closed after
 * them, with Zhejiang's rural counts (`rural`, filled before the tests), representations built
 * from them (`regionRefs`) and a reader of its database (`scalar`).
 */
export function bootCulture(scopes: string[]) {
  let culture: BootedSubgraph;
  const rural = new Map<string, number>();
  beforeAll(async () => {
    for (const [code, n] of await zhejiangRuralCounts()) rural.set(code, n);
    culture = await bootSubgraph(cultureSubgraph as never, { scopes });
  });
  afterAll(() => culture?.close());
  return {
    culture: () => culture,
    rural,
    regionRefs: regionRefsOf(rural),
    scalar: scalarOf(() => culture),
  };
}
