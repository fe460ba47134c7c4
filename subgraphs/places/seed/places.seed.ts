import { BatchWriter, bulkUpsert, withDeferredIndexes } from '../../shared/bulk.js';
import type { Orm, EntityManager } from '../../shared/database.js';
import {
  countVillages,
  isRuralVillageName,
  isUrbanCommunityName,
  readDivisions,
  scopePrefix,
  type DivisionFile,
} from '../../shared/divisions.js';
import { heldScopes, loadedPrefixes, recordLoadedScope } from '../../shared/loaded-scope.js';
import { SeedClock } from '../../shared/seed-load.js';
import type { SeedOptions, SeedResult } from '../../shared/subgraph.js';
import { RegionLevel } from '../region/region.entity.js';
import { VillageKind } from '../village/village.entity.js';

const VILLAGE_BATCH = 20_000;

const REGION_FILES: [DivisionFile, RegionLevel, string | null][] = [
  ['provinces', RegionLevel.PROVINCE, null],
  ['cities', RegionLevel.CITY, 'provinceCode'],
  ['areas', RegionLevel.COUNTY, 'cityCode'],
  ['streets', RegionLevel.TOWNSHIP, 'areaCode'],
];

export function villageKind(name: string): VillageKind {
  if (isRuralVillageName(name)) return VillageKind.RURAL_VILLAGE;
  if (isUrbanCommunityName(name)) return VillageKind.URBAN_COMMUNITY;
  return VillageKind.OTHER;
}

/** Village-level units and rural villages per region code, at every level, from the table. */
async function villageCounts(
  em: EntityManager,
): Promise<Map<string, { all: number; rural: number; urban: number }>> {
  const knex = em.getKnex();
  const counts = new Map<string, { all: number; rural: number; urban: number }>();
  const ofKind = (kind: string) => knex.raw('case when kind = ? then 1 else 0 end', [kind]);
  for (const column of ['province_code', 'city_code', 'county_code', 'township_code']) {
    const rows: {
      code: string;
      all: number | string;
      rural: number | string;
      urban: number | string;
    }[] = await knex('village')
      .select({ code: column })
      .count({ all: '*' })
      .sum({ rural: ofKind(VillageKind.RURAL_VILLAGE) })
      .sum({ urban: ofKind(VillageKind.URBAN_COMMUNITY) })
      .groupBy(column);
    for (const r of rows) {
      counts.set(r.code, { all: Number(r.all), rural: Number(r.rural), urban: Number(r.urban) });
    }
  }
  return counts;
}

/**
 * Loads the real division hierarchy for a scope from the public dataset: every region in the
 * scope and its ancestors, every village-level unit in the scope, and per-region village counts.
 */
export async function seedPlaces(orm: Orm, opts: SeedOptions): Promise<SeedResult> {
  const em = orm.em.fork() as EntityManager;
  const clock = new SeedClock();
  const prefix = scopePrefix(opts.scope);
  const total = opts.progress ? await countVillages(prefix) : undefined;
  await recordPlacesScope(em, opts.scope);
  const villages = new BatchWriter(em, 'village', ['code'], VILLAGE_BATCH, (n) =>
    opts.progress?.('village', n, total),
  );
  await withDeferredIndexes(em, 'village', async () => {
    for await (const v of readDivisions('villages', prefix)) {
      await villages.push({
        code: v.code,
        name: v.name,
        kind: villageKind(v.name),
        township_code: v.streetCode,
        county_code: v.areaCode,
        city_code: v.cityCode,
        province_code: v.provinceCode,
      });
    }
    await villages.flush();
  });
  clock.lap('villages');

  // Counted from the table, not from this load alone: an ancestor region (Zhejiang when loading
  // one county) must count the villages of every scope loaded so far.
  const counts = await villageCounts(em);
  const regions: Record<string, unknown>[] = [];
  for (const [file, level, parentColumn] of REGION_FILES) {
    for await (const r of readDivisions(file)) {
      if (!r.code.startsWith(prefix) && !prefix.startsWith(r.code)) continue;
      const c = counts.get(r.code) ?? { all: 0, rural: 0, urban: 0 };
      regions.push({
        code: r.code,
        name: r.name,
        level,
        parent_code: parentColumn ? r[parentColumn] : null,
        village_count: c.all,
        rural_village_count: c.rural,
        urban_community_count: c.urban,
      });
    }
  }
  await bulkUpsert(em, 'region', regions, ['code']);
  clock.lap('regions');
  // A subgraph serving from this database tells the domains of the new scope from now on.
  await heldScopes.get(orm)?.refresh();
  return { rows: { region: regions.length, village: villages.written }, seconds: clock.seconds };
}

/**
 * Records the scope in places' `loaded_scope` (Region.loadedScopes: the domains compare it with
 * theirs, docs/data.md "Scopes must agree"), before its villages are written: a load that stops
 * halfway leaves places claiming the scope, and a domain refuses (NOT_LOADED) rather than
 * answering for part of it. A database that holds villages but no recorded scope (loaded before
 * the table existed) stays without one: its scopes are not known, and one recorded scope would
 * tell the domains places holds less than it does.
 */
async function recordPlacesScope(em: EntityManager, scope: string): Promise<void> {
  const knex = em.getKnex();
  if ((await loadedPrefixes(knex)).length === 0 && (await knex('village').first())) return;
  await recordLoadedScope(knex, scope);
}
