import type { Knex } from '@mikro-orm/knex';
import type { Orm } from '../../shared/database.js';
import { isRuralVillageName, readDivisions, scopePrefix } from '../../shared/divisions.js';
import { ProvenanceKind } from '../../shared/provenance.js';
import { loadScope, syntheticRowsOf } from '../../shared/seed-load.js';
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
import { villageWorkshops } from './workshops.seed.js';
import { songyangStores, villageStores, type Row, type Village } from './stores.seed.js';

/** Conflict keys of the tables the seeder writes, in the order of the summary. */
const TABLE_KEYS: Record<string, string[]> = {
  online_store: ['id'],
  store_monthly_sales: ['store_id', 'month'],
  enterprise: ['id'],
  enterprise_year: ['enterprise_id', 'year'],
  ecommerce_park: ['id'],
  service_point: ['id'],
  processing_workshop: ['id'],
};

/** Songyang's reported totals are spread over its whole county: its stores, made up front. */
async function songyangTeaStores(
  seed: number,
): Promise<{ byVillage: Map<string, Row[]>; hj: Row[] }> {
  const codes: string[] = [];
  for await (const v of readDivisions('villages', SONGYANG))
    if (isRuralVillageName(v.name)) codes.push(v.code);
  const teaStores = songyangStores(seed, codes);
  const byVillage = new Map<string, Row[]>();
  for (const s of teaStores) {
    const list = byVillage.get(s.village_code as string) ?? [];
    list.push(s);
    byVillage.set(s.village_code as string, list);
  }
  // The reported enterprise runs two of the (synthetic) Songyang stores, both on Pinduoduo.
  const hj = [teaStores[0], teaStores.find((s) => s.village_code !== teaStores[0].village_code)!];
  hj.forEach((s, i) => {
    Object.assign(s, {
      enterprise_id: HUANG_JIEFEI_ENTERPRISE,
      platform: Platform.PINDUODUO,
      name: `Songyang tea enterprise of Huang Jiefei, Pinduoduo store ${i + 1}`,
    });
  });
  return { byVillage, hj };
}

/**
 * Seeds one scope in one transaction: deletes the scope's synthetic rows (a reseed with another
 * seed must not leave stale ones), streams the scope's rural villages generating each one's
 * stores, sales, enterprise and service points into the shared bulk writers, then rebuilds the
 * rollups. Only Songyang's stores (calibrated over the whole county) are made up front.
 */
export async function seedCommerce(orm: Orm, opts: SeedOptions): Promise<SeedResult> {
  const prefix = scopePrefix(opts.scope);
  const withSongyang = SONGYANG.startsWith(prefix) || prefix.startsWith(SONGYANG);
  const songyang = withSongyang ? await songyangTeaStores(opts.seed) : null;
  const hjIds = new Set((songyang?.hj ?? []).map((s) => s.id as string));
  const hjVillages = new Set((songyang?.hj ?? []).map((s) => s.village_code as string));
  const hjSales = songyang ? huangJiefeiSales(opts.seed, [...hjIds]) : [];
  return loadScope(orm, opts, {
    tables: TABLE_KEYS,
    clear: deleteSyntheticRows,
    write: async (out, _kept, tick) => {
      const parksByCounty = new Map<string, Row[]>();
      const hosted = new Map<string, number>();
      for await (const d of readDivisions('villages', prefix)) {
        tick();
        if (!isRuralVillageName(d.name)) continue;
        const v: Village = { code: d.code, name: d.name, areaCode: d.areaCode };
        let parks = parksByCounty.get(v.areaCode);
        if (!parks) {
          parks = countyParks(opts.seed, v.areaCode);
          parksByCounty.set(v.areaCode, parks);
          await out.pushAll('ecommerce_park', parks);
        }
        const stores =
          v.areaCode === SONGYANG
            ? (songyang!.byVillage.get(v.code) ?? [])
            : villageStores(opts.seed, v);
        await out.pushAll('service_point', villageServicePoints(opts.seed, v));
        await out.pushAll('processing_workshop', villageWorkshops(opts.seed, v));
        const enterprise = hjVillages.has(v.code) ? null : villageEnterprise(opts.seed, v, stores);
        await out.pushAll('online_store', stores);
        const sales = stores.flatMap((s) =>
          hjIds.has(s.id as string)
            ? hjSales.filter((r) => r.store_id === s.id)
            : storeSales(opts.seed, s),
        );
        await out.pushAll('store_monthly_sales', sales);
        if (enterprise) {
          assignPark(opts.seed, enterprise, parks, hosted);
          await out.push('enterprise', enterprise);
          await out.pushAll(
            'enterprise_year',
            enterpriseYears(opts.seed, enterprise, yearTotals(sales), stores),
          );
        }
      }
      if (withSongyang) {
        const hj = huangJiefeiEnterprise();
        await out.push('enterprise', hj.enterprise);
        await out.push('enterprise_year', hj.year);
      }
    },
    rebuild: rebuildRollups,
  });
}

/**
 * A scope's synthetic records of `table` and, first, the synthetic rows of `detail` that hang on
 * them by `key` (a store's months, an enterprise's years); reported rows of either stay.
 */
async function deleteSyntheticWithDetail(
  trx: Knex.Transaction,
  prefix: string,
  table: string,
  detail: { table: string; key: string },
): Promise<void> {
  await trx(detail.table)
    .whereIn(detail.key, syntheticRowsOf(trx, table, prefix).select('id'))
    .andWhere('provenance_kind', ProvenanceKind.SYNTHETIC)
    .delete();
  await syntheticRowsOf(trx, table, prefix).delete();
}

async function deleteSyntheticRows(trx: Knex.Transaction, prefix: string): Promise<void> {
  const sales = { table: 'store_monthly_sales', key: 'store_id' };
  await deleteSyntheticWithDetail(trx, prefix, 'online_store', sales);
  const years = { table: 'enterprise_year', key: 'enterprise_id' };
  await deleteSyntheticWithDetail(trx, prefix, 'enterprise', years);
  // Parks are generated per county, so a township scope regenerates its whole county's parks.
  await syntheticRowsOf(trx, 'ecommerce_park', prefix.slice(0, 6), 'county_code').delete();
  await syntheticRowsOf(trx, 'service_point', prefix).delete();
  await syntheticRowsOf(trx, 'processing_workshop', prefix).delete();
}
