import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '../../shared/database.js';
import { bootSubgraph, type BootedSubgraph } from '../../../test/support/subgraph.js';
import { cultureSubgraph } from '../index.js';

// Haishu district (Ningbo), home of Houcang village: a part of the province only.
const SCOPE = '330203';
let culture: BootedSubgraph;

beforeAll(async () => {
  culture = await bootSubgraph(cultureSubgraph as never, { scopes: [SCOPE] });
});
afterAll(() => culture?.close());

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const em = culture.started.orm.em.fork() as EntityManager;
  return (await em.getConnection().execute(sql)) as Record<string, unknown>[];
}

/** Everything a scope load writes, in a comparable form. */
async function snapshot() {
  const [auditoriums] = await rows(
    `select count(*) as n, sum(seats) as seats from auditorium where village_code like '${SCOPE}%'`,
  );
  const [usage] = await rows(
    `select count(*) as n, sum(visits) as visits from auditorium_usage where village_code like '${SCOPE}%'`,
  );
  const [events] = await rows(`select count(*) as n from auditorium_event`);
  const [links] = await rows(`select count(*) as n from auditorium_resource`);
  const rollups = await rows(
    `select region_code, auditorium_count, provenance_kind from region_culture_rollup order by region_code`,
  );
  const houcang = await rows(
    `select id, name, provenance_kind, provenance_source from auditorium where village_code = '330203009205'`,
  );
  const norm = (r: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)]));
  return {
    auditoriums: norm(auditoriums),
    usage: norm(usage),
    events: norm(events),
    links: norm(links),
    rollups: rollups.map(norm),
    houcang: houcang.map(norm),
  };
}

describe('culture seeding', () => {
  it('reloads the same rows, and another seed changes synthetic values only', async () => {
    const first = await snapshot();
    expect(Number(first.auditoriums.n)).toBeGreaterThan(0);
    await cultureSubgraph.seed(culture.started.orm, { scope: SCOPE, seed: 1 });
    expect(await snapshot()).toEqual(first);

    await cultureSubgraph.seed(culture.started.orm, { scope: SCOPE, seed: 2 });
    const other = await snapshot();
    expect(other.houcang).toEqual(first.houcang);
    expect(other.houcang[0].provenance_kind).toBe('REPORTED');
    expect(other.usage).not.toEqual(first.usage);
    // No stale rows: the rollups match the rows now present.
    const county = other.rollups.find((r) => r.region_code === SCOPE)!;
    expect(county.auditorium_count).toBe(other.auditoriums.n);
    // A part of the province is not the reported province-wide figure.
    const province = other.rollups.find((r) => r.region_code === '33')!;
    expect(province.provenance_kind).toBe('SYNTHETIC');
    expect(province.auditorium_count).toBe(other.auditoriums.n);

    await cultureSubgraph.seed(culture.started.orm, { scope: SCOPE, seed: 1 });
    expect(await snapshot()).toEqual(first);
  });
});
