import { describe, expect, it } from 'vitest';
import { costTable, FETCHES, measureSubgraph, villageSets } from '../subgraph-sql.js';

// The measurement itself, small: one subgraph, a few fetches each way (figures are not asserted,
// only that both sides were measured on the same statements). SQLite only, as the bench runs.
describe.skipIf(process.env.TEST_POSTGRES_URL)('bench:subgraphs', () => {
  it('times a fetch of 20 villages whole and its SQL statements alone', async () => {
    const sets = await villageSets('331124');
    expect(sets).toHaveLength(10);
    for (const set of sets) expect(new Set(set).size).toBe(20);
    const culture = FETCHES.find((f) => f.subgraph === 'culture')!;
    const cost = await measureSubgraph(culture, sets, '331124', 5);
    expect(cost.statements).toBeGreaterThan(0);
    expect(cost.sqlUs).toBeGreaterThan(0);
    // The request runs those statements and more (HTTP, parse, execute, JSON).
    expect(cost.requestUs).toBeGreaterThan(cost.sqlUs);
    // The same bytes through a server that does nothing else.
    expect(cost.floorUs).toBeGreaterThan(0);
    // CPU of this process per exchange (server and client): the request costs more than the floor.
    expect(cost.floorCpuUs).toBeGreaterThan(0);
    expect(cost.requestCpuUs).toBeGreaterThan(cost.floorCpuUs);
    expect(costTable([cost])).toContain('| culture ');
    expect(costTable([cost])).toContain('HTTP floor (µs)');
    expect(costTable([cost])).toContain('`_entities` of 20 villages');
  }, 120_000);

  it("has the profile's shape too: sets of one village, distinct across sets", async () => {
    const sets = await villageSets('331124', 1);
    expect(sets.map((s) => s.length)).toEqual(Array(10).fill(1));
    expect(new Set(sets.flat()).size).toBe(10);
    const twenty = await villageSets('331124');
    expect(sets.flat()).toEqual(twenty[0].slice(0, 10));
  });
});
