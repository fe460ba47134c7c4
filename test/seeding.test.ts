import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commerceSubgraph } from '../subgraphs/commerce/index.js';
import { cultureSubgraph } from '../subgraphs/culture/index.js';
import { healthcareSubgraph } from '../subgraphs/healthcare/index.js';
import { placesSubgraph } from '../subgraphs/places/index.js';
import type { EntityManager } from '../subgraphs/shared/database.js';
import type { SubgraphDefinition } from '../subgraphs/shared/subgraph.js';
import { ENGINE } from './support/databases.js';
import { bootSubgraph, type BootedSubgraph } from './support/subgraph.js';

/**
 * Seeding every subgraph: widening a scope adds without duplicating, reloading changes nothing,
 * another seed changes synthetic values only. Songyang (331124) then Lishui (3311), plus the
 * township of Baoshanqiao (330603011) for the reported rows of culture and healthcare.
 */
const NARROW = '331124';
const WIDE = '3311';
const BAOSHANQIAO_TOWNSHIP = '330603011';

/**
 * Rollup rows whose provenance covers only some of their columns (commerce: a region's store
 * count and jobs; the other figures of the row are synthetic counts).
 */
const REPORTED_COLUMNS: Record<string, string[]> = {
  commerce_region: ['region_code', 'store_count', 'jobs', 'provenance_kind', 'provenance_source'],
};

type Fingerprint = Record<string, { rows: number; hash: string }>;

async function tables(em: EntityManager): Promise<string[]> {
  const rows = (await em
    .getConnection()
    .execute(
      ENGINE === 'sqlite'
        ? "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'mikro_orm%'"
        : "select tablename as name from pg_tables where schemaname = current_schema() and tablename not like 'mikro_orm%'",
    )) as { name: string }[];
  return rows.map((r) => r.name).sort();
}

const norm = (v: unknown) =>
  v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** Row count and a hash of the sorted rows of every table (optionally only non-synthetic rows). */
async function fingerprint(sub: BootedSubgraph, onlyReported = false): Promise<Fingerprint> {
  const em = sub.started.orm.em.fork() as EntityManager;
  const knex = em.getKnex();
  const out: Fingerprint = {};
  for (const table of await tables(em)) {
    let query = knex(table).select((onlyReported && REPORTED_COLUMNS[table]) || '*');
    if (onlyReported) {
      if (!(await knex.schema.hasColumn(table, 'provenance_kind'))) continue;
      query = query.whereNot('provenance_kind', 'SYNTHETIC');
    }
    const rows = ((await query) as Record<string, unknown>[])
      .map((r) =>
        JSON.stringify(
          Object.keys(r)
            .sort()
            .map((k) => [k, norm(r[k])]),
        ),
      )
      .sort();
    out[table] = {
      rows: rows.length,
      hash: createHash('sha1').update(rows.join('\n')).digest('hex'),
    };
  }
  return out;
}

const DEFINITIONS = [placesSubgraph, cultureSubgraph, healthcareSubgraph, commerceSubgraph];

describe.each(DEFINITIONS.map((def) => [def.name, def] as const))('seeding %s', (_name, def) => {
  let widened: BootedSubgraph;
  let direct: BootedSubgraph;
  const seed = (scope: string, n: number) => def.seed(widened.started.orm, { scope, seed: n });

  beforeAll(async () => {
    [widened, direct] = await Promise.all([
      bootSubgraph(def as SubgraphDefinition as never, {
        scopes: [NARROW, WIDE, BAOSHANQIAO_TOWNSHIP],
      }),
      bootSubgraph(def as SubgraphDefinition as never, { scopes: [WIDE, BAOSHANQIAO_TOWNSHIP] }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([widened?.close(), direct?.close()]);
  });

  it('widening a scope adds without duplicating: the same rows as loading the wide scope', async () => {
    const a = await fingerprint(widened);
    expect(Object.values(a).some((t) => t.rows > 0)).toBe(true);
    expect(a).toEqual(await fingerprint(direct));
  });

  it('reloading leaves identical rows in every table', async () => {
    const before = await fingerprint(widened);
    await seed(WIDE, 1);
    await seed(BAOSHANQIAO_TOWNSHIP, 1);
    expect(await fingerprint(widened)).toEqual(before);
  });

  it('another seed changes synthetic values only, and going back restores them', async () => {
    const before = await fingerprint(widened);
    const reported = await fingerprint(widened, true);
    await seed(WIDE, 2);
    await seed(BAOSHANQIAO_TOWNSHIP, 2);
    const after = await fingerprint(widened);
    expect(await fingerprint(widened, true)).toEqual(reported);
    if (def.name === 'places') {
      // Nothing in the division data is synthetic.
      expect(after).toEqual(before);
    } else {
      const changed = Object.keys(before).filter((t) => before[t].hash !== after[t].hash);
      expect(changed.length).toBeGreaterThan(0);
      expect(Object.values(reported).some((t) => t.rows > 0)).toBe(true);
    }
    await seed(WIDE, 1);
    await seed(BAOSHANQIAO_TOWNSHIP, 1);
    expect(await fingerprint(widened)).toEqual(before);
  });
});
