import type { Knex } from '@mikro-orm/knex';
import type { EntityManager, Orm } from '../../shared/database.js';
import { isRuralVillageName, readDivisions, scopePrefix } from '../../shared/divisions.js';
import { ProvenanceKind } from '../../shared/provenance.js';
import type { SeedOptions, SeedResult } from '../../shared/subgraph.js';
import { SONGYANG, rebuildRollups } from '../rollup/rollup.rebuild.js';
import { Platform } from '../store/store.entity.js';
import {
  HUANG_JIEFEI_ENTERPRISE,
  assignPark,
  countyParks,
  enterpriseYears,
  huangJiefeiEnterprise,
  huangJiefeiSales,
  villageEnterprise,
  villageServicePoints,
} from './enterprises.seed.js';
import { storeSales, yearTotals } from './sales.seed.js';
import { upsertRows } from './upsert.js';
import { songyangStores, villageStores, type Row, type Village } from './stores.seed.js';

/**
 * Seeds one scope in one transaction: deletes the scope's synthetic rows (a reseed with another
 * seed must not leave stale ones), upserts the generated rows and rebuilds the rollups.
 */
export async function seedCommerce(orm: Orm, opts: SeedOptions): Promise<SeedResult> {
  const prefix = scopePrefix(opts.scope);
  const inScope = (code: string) => code.startsWith(prefix);
  // Songyang's totals are spread over the whole county, so its villages are read even when the
  // scope is one of its townships; only the rows in scope are kept.
  const withSongyang = SONGYANG.startsWith(prefix) || prefix.startsWith(SONGYANG);
  const villages: Village[] = [];
  const songyang: Village[] = [];
  for await (const v of readDivisions('villages')) {
    if (!isRuralVillageName(v.name)) continue;
    const village = { code: v.code, name: v.name, areaCode: v.areaCode };
    if (v.areaCode === SONGYANG) {
      if (withSongyang) songyang.push(village);
    } else if (inScope(v.code)) villages.push(village);
  }

  const byVillage = new Map<string, Row[]>();
  for (const v of villages) byVillage.set(v.code, villageStores(opts.seed, v));
  const teaStores = songyangStores(
    opts.seed,
    songyang.map((v) => v.code),
  );
  for (const s of teaStores) {
    const list = byVillage.get(s.village_code as string) ?? [];
    byVillage.set(s.village_code as string, [...list, s]);
  }
  // The reported enterprise runs two of the (synthetic) Songyang stores, both on Pinduoduo.
  const hjStores = withSongyang
    ? [teaStores[0], teaStores.find((s) => s.village_code !== teaStores[0].village_code)!]
    : [];
  hjStores.forEach((s, i) => {
    Object.assign(s, {
      enterprise_id: HUANG_JIEFEI_ENTERPRISE,
      platform: Platform.PINDUODUO,
      name: `Songyang tea enterprise of Huang Jiefei, Pinduoduo store ${i + 1}`,
    });
  });
  const hjVillages = new Set(hjStores.map((s) => s.village_code));

  const allVillages = [...villages, ...songyang].filter((v) => inScope(v.code));
  const enterprises: Row[] = [];
  const servicePoints: Row[] = [];
  const counties = new Set<string>();
  for (const v of allVillages) {
    counties.add(v.areaCode);
    servicePoints.push(...villageServicePoints(opts.seed, v));
    if (hjVillages.has(v.code)) continue;
    const e = villageEnterprise(opts.seed, v, byVillage.get(v.code) ?? []);
    if (e) enterprises.push(e);
  }
  const parks = [...counties].sort().flatMap((c) => countyParks(opts.seed, c));
  for (const e of enterprises) {
    assignPark(
      opts.seed,
      e,
      parks.filter((p) => p.county_code === e.county_code),
    );
  }

  const stores = [...byVillage.values()].flat().filter((s) => inScope(s.village_code as string));
  const hjIds = new Set(hjStores.map((s) => s.id as string));
  const sales = stores.flatMap((s) => (hjIds.has(s.id as string) ? [] : storeSales(opts.seed, s)));
  if (hjStores.length > 0) {
    const inScopeIds = hjStores.filter((s) => inScope(s.village_code as string)).map((s) => s.id);
    sales.push(
      ...huangJiefeiSales(opts.seed, [...hjIds]).filter((r) => inScopeIds.includes(r.store_id)),
    );
  }
  const totals = yearTotals(sales);
  const years = enterprises.flatMap((e) => enterpriseYears(opts.seed, e, totals, stores));
  if (withSongyang) {
    const hj = huangJiefeiEnterprise();
    enterprises.push(hj.enterprise);
    years.push(hj.year);
  }

  const em = orm.em.fork() as EntityManager;
  await em.getKnex().transaction(async (trx) => {
    await deleteSyntheticRows(trx, prefix);
    await upsertRows(trx, 'online_store', stores, ['id']);
    opts.progress?.('online_store', stores.length);
    await upsertRows(trx, 'store_monthly_sales', sales, ['store_id', 'month']);
    opts.progress?.('store_monthly_sales', sales.length);
    await upsertRows(trx, 'ecommerce_park', parks, ['id']);
    await upsertRows(trx, 'enterprise', enterprises, ['id']);
    await upsertRows(trx, 'enterprise_year', years, ['enterprise_id', 'year']);
    await upsertRows(trx, 'service_point', servicePoints, ['id']);
    await rebuildRollups(trx);
  });
  return {
    rows: {
      online_store: stores.length,
      store_monthly_sales: sales.length,
      enterprise: enterprises.length,
      enterprise_year: years.length,
      ecommerce_park: parks.length,
      service_point: servicePoints.length,
    },
  };
}

async function deleteSyntheticRows(trx: Knex.Transaction, prefix: string): Promise<void> {
  const synthetic = ProvenanceKind.SYNTHETIC;
  const like = `${prefix}%`;
  const stores = trx('online_store')
    .select('id')
    .where('village_code', 'like', like)
    .andWhere('provenance_kind', synthetic);
  await trx('store_monthly_sales')
    .whereIn('store_id', stores)
    .andWhere('provenance_kind', synthetic)
    .delete();
  await trx('online_store')
    .where('village_code', 'like', like)
    .andWhere('provenance_kind', synthetic)
    .delete();
  const enterprises = trx('enterprise')
    .select('id')
    .where('village_code', 'like', like)
    .andWhere('provenance_kind', synthetic);
  await trx('enterprise_year')
    .whereIn('enterprise_id', enterprises)
    .andWhere('provenance_kind', synthetic)
    .delete();
  await trx('enterprise')
    .where('village_code', 'like', like)
    .andWhere('provenance_kind', synthetic)
    .delete();
  // Parks are generated per county, so a township scope regenerates its whole county's parks.
  await trx('ecommerce_park')
    .where('county_code', 'like', `${prefix.slice(0, 6)}%`)
    .andWhere('provenance_kind', synthetic)
    .delete();
  await trx('service_point')
    .where('village_code', 'like', like)
    .andWhere('provenance_kind', synthetic)
    .delete();
}
