import type { Knex } from '@mikro-orm/knex';
import { isSqlite, withDeferredIndexesIn } from '../../shared/bulk.js';
import { badUserInput } from '../../shared/errors.js';
import { ProvenanceKind, SYNTHETIC_SOURCE, XINHUA_2021 } from '../../shared/provenance.js';

/** Digits of a region code per level: province, city, county, township, village. */
export const CODE_LEVELS = [2, 4, 6, 9, 12] as const;

/** Songyang county: its store count and jobs are calibrated to the reported figures. */
export const SONGYANG = '331124';
export const SONGYANG_TEA_STORES = 1_500;
export const SONGYANG_JOBS = 7_000;

export const ROLLUP_NOTE =
  'Computed from store records: seeded records are synthetic; stores and sales reported by data stewards are included.';
export const SONGYANG_NOTE = `Reported (${XINHUA_2021}): about 1,500 online tea stores giving jobs to over 7,000 people (7,000 is the reported lower bound). The reported figures compare with byCategory TEA (its count and jobs); total and the jobs count cover stores of every category. The underlying store records are synthetic and calibrated to the reported figures; once a store is registered, the figures are computed ones (SYNTHETIC).`;
export const SONGYANG_CHANGED_NOTE = `Computed from store records: synthetic ones calibrated to what ${XINHUA_2021} reports for Songyang (about 1,500 online tea stores, over 7,000 jobs) and stores registered since by data stewards, so these are not the reported figures (see reportedFacts).`;

/** The code one level up, or null for a province. */
export function parentCode(code: string): string | null {
  const idx = CODE_LEVELS.indexOf(code.length as (typeof CODE_LEVELS)[number]);
  return idx > 0 ? code.slice(0, CODE_LEVELS[idx - 1]) : null;
}

/** The region codes a village rolls up into, itself included. */
export function rollupCodes(villageCode: string): string[] {
  return CODE_LEVELS.map((n) => villageCode.slice(0, n));
}

function parentExpr(n: number, column: string): string {
  const idx = CODE_LEVELS.indexOf(n as (typeof CODE_LEVELS)[number]);
  return idx > 0 ? `substr(${column}, 1, ${CODE_LEVELS[idx - 1]})` : 'null';
}

/**
 * Rebuilds every rollup row from the base tables with set-based SQL (three statements per level),
 * inside the caller's transaction. Levels are integer constants, never user input. A region has
 * its row as soon as it holds any commerce record: a store that is not active counts in no store
 * total, but its sales do count (`commerce_region_month`), so a township whose only stores are
 * suspended answers its sales, not `commerce: null`.
 */
export async function rebuildRollups(trx: Knex.Transaction): Promise<void> {
  await trx('commerce_region').delete();
  await trx('commerce_region_store').delete();
  await trx('commerce_region_month').delete();
  for (const n of CODE_LEVELS) {
    await trx.raw(
      `insert into commerce_region (region_code, parent_code, store_count, jobs, enterprise_count,
         park_count, park_jobs, service_point_count, workshop_count, provenance_kind,
         provenance_source, provenance_as_of, provenance_note)
       select code, ${parentExpr(n, 'code')}, sum(sc), sum(j), sum(ec), sum(pc), sum(pj), sum(spc),
         sum(wc), ?, ?, ?, ?
       from (
         select substr(village_code, 1, ${n}) as code,
           case when status = 'ACTIVE' then 1 else 0 end as sc,
           case when status = 'ACTIVE' then jobs else 0 end as j, 0 as ec, 0 as pc,
           0 as pj, 0 as spc, 0 as wc from online_store
         union all
         select substr(coalesce(village_code, county_code), 1, ${n}), 0, 0, 1, 0, 0, 0, 0
           from enterprise where length(coalesce(village_code, county_code)) >= ${n}
         union all
         select substr(county_code, 1, ${n}), 0, 0, 0, 1, jobs, 0, 0
           from ecommerce_park where length(county_code) >= ${n}
         union all
         select substr(village_code, 1, ${n}), 0, 0, 0, 0, 0, 1, 0 from service_point
         union all
         select substr(village_code, 1, ${n}), 0, 0, 0, 0, 0, 0, 1 from processing_workshop
       ) u group by code`,
      [ProvenanceKind.SYNTHETIC, SYNTHETIC_SOURCE, null, ROLLUP_NOTE],
    );
    await trx.raw(
      `insert into commerce_region_store (region_code, platform, category, store_count, jobs)
       select substr(village_code, 1, ${n}), platform, category, count(*), sum(jobs)
       from online_store where status = 'ACTIVE'
       group by substr(village_code, 1, ${n}), platform, category`,
    );
  }
  // Villages from the sales rows, then each coarser level from the level below it. The table
  // is empty here: its secondary index is rebuilt once at the end, and rows go in key order
  // (millions of village-months nationally).
  await withDeferredIndexesIn(trx, 'commerce_region_month', async () => {
    let below = await insertedRows(trx, 12, () =>
      trx.raw(
        `insert into commerce_region_month (region_code, month, parent_code, orders, revenue_fen)
         select s.village_code, m.month, ${parentExpr(12, 's.village_code')}, sum(m.orders),
           sum(m.revenue_fen)
         from store_monthly_sales m join online_store s on s.id = m.store_id
         group by s.village_code, m.month order by 1, 2`,
      ),
    );
    for (const n of [...CODE_LEVELS].reverse().slice(1)) {
      const level = below;
      below = await insertedRows(trx, n, () =>
        trx.raw(
          `insert into commerce_region_month (region_code, month, parent_code, orders, revenue_fen)
           select parent_code, month, ${parentExpr(n, 'parent_code')}, sum(orders), sum(revenue_fen)
           from commerce_region_month where ${level.where} group by parent_code, month order by 1, 2`,
          level.bindings,
        ),
      );
    }
  });
  await labelSongyang(trx);
}

/**
 * Songyang's store and job totals are the reported figures only while they are the calibrated
 * ones: a total that a registered store changed is labelled as computed, never as the source's.
 */
async function labelSongyang(trx: Knex): Promise<void> {
  await trx('commerce_region').where('region_code', SONGYANG).update({
    provenance_kind: ProvenanceKind.SYNTHETIC,
    provenance_source: SYNTHETIC_SOURCE,
    provenance_as_of: null,
    provenance_note: SONGYANG_CHANGED_NOTE,
  });
  await trx('commerce_region')
    .where({ region_code: SONGYANG, store_count: SONGYANG_TEA_STORES, jobs: SONGYANG_JOBS })
    .update({
      provenance_kind: ProvenanceKind.REPORTED,
      provenance_source: XINHUA_2021,
      provenance_as_of: '2021',
      provenance_note: SONGYANG_NOTE,
    });
}

/**
 * Runs one insert of level `codeLength` into commerce_region_month and returns how to select the
 * rows it wrote. On SQLite those are one range of rowids (the table was emptied, so each insert
 * appends), which the next level reads instead of scanning every row for its code length;
 * PostgreSQL has no rowid and selects by code length.
 */
async function insertedRows(
  trx: Knex.Transaction,
  codeLength: number,
  insert: () => Promise<unknown>,
): Promise<{ where: string; bindings: number[] }> {
  if (!isSqlite(trx)) {
    await insert();
    return { where: 'length(region_code) = ?', bindings: [codeLength] };
  }
  const last = async () => {
    const rows = (await trx.raw('select max(rowid) as r from commerce_region_month')) as {
      r: number | null;
    }[];
    return rows[0]?.r ?? 0;
  };
  const from = await last();
  await insert();
  return { where: 'rowid > ? and rowid <= ?', bindings: [from, await last()] };
}

/** Largest total a rollup count may reach: the GraphQL Int range its fields are answered in. */
export const MAX_TOTAL = 2_147_483_647;

/** Adds one newly registered active store to the rollups of its village and every ancestor. */
export async function addStoreToRollups(
  trx: Knex,
  store: { villageCode: string; platform: string; category: string; jobs: number },
): Promise<void> {
  const codes = rollupCodes(store.villageCode);
  const regionRows = codes.map(() => '(?, ?, 1, ?, 0, 0, 0, 0, ?, ?, ?, ?)').join(', ');
  await trx.raw(
    `insert into commerce_region (region_code, parent_code, store_count, jobs, enterprise_count,
       park_count, park_jobs, service_point_count, provenance_kind, provenance_source,
       provenance_as_of, provenance_note)
     values ${regionRows}
     on conflict (region_code) do update set store_count = commerce_region.store_count + 1,
       jobs = commerce_region.jobs + excluded.jobs`,
    codes.flatMap((c) => [
      c,
      parentCode(c),
      store.jobs,
      ProvenanceKind.SYNTHETIC,
      SYNTHETIC_SOURCE,
      null,
      ROLLUP_NOTE,
    ]),
  );
  await trx.raw(
    `insert into commerce_region_store (region_code, platform, category, store_count, jobs)
     values ${codes.map(() => '(?, ?, ?, 1, ?)').join(', ')}
     on conflict (region_code, platform, category) do update
       set store_count = commerce_region_store.store_count + 1,
       jobs = commerce_region_store.jobs + excluded.jobs`,
    codes.flatMap((c) => [c, store.platform, store.category, store.jobs]),
  );
  if (codes.includes(SONGYANG)) await labelSongyang(trx);
  // The totals are 64-bit; the API answers them as GraphQL Int, so a total past its range is
  // refused here (rolling the transaction back) rather than failing every later read.
  const total = (await trx('commerce_region')
    .select('jobs')
    .where('region_code', codes[0])
    .first()) as { jobs: number | string };
  if (Number(total.jobs) > MAX_TOTAL) {
    throw badUserInput(
      `\`input.jobs\` would take the jobs total of region ${codes[0]} past ${MAX_TOTAL}.`,
      'input.jobs',
    );
  }
}

/** Applies the change of one store-month of sales (new minus replaced) to every ancestor. */
export async function addSalesDelta(
  trx: Knex,
  villageCode: string,
  month: string,
  orders: number,
  revenueFen: number,
): Promise<void> {
  const codes = rollupCodes(villageCode);
  await trx.raw(
    `insert into commerce_region_month (region_code, month, parent_code, orders, revenue_fen)
     values ${codes.map(() => '(?, ?, ?, ?, ?)').join(', ')}
     on conflict (region_code, month) do update
       set orders = commerce_region_month.orders + excluded.orders,
       revenue_fen = commerce_region_month.revenue_fen + excluded.revenue_fen`,
    codes.flatMap((c) => [c, month, parentCode(c), orders, revenueFen]),
  );
}
