/**
 * What a loader's read costs two ways, in one process, on one subgraph's seeded SQLite database:
 * `em.find` (MikroORM builds the query, hydrates managed entities into the identity map) against
 * `findIn` (subgraphs/shared/loaders.ts: its own statement, rows mapped by plain-rows.ts), for the
 * read shapes the request-scoped loaders use. Distinct keys per read (a rotation of sets of 20),
 * a fresh EntityManager fork per read as in a request, the two ways alternated over two rounds.
 *
 *   npm run bench:reads -- [--scope 331124] [--reads 1000]
 */
import type { BaseContext } from '@apollo/server';
import type { EntityClass } from '@mikro-orm/core';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { commerceSubgraph } from '../subgraphs/commerce/index.js';
import { StoreMonthlySales } from '../subgraphs/commerce/sales/sales.entity.js';
import { OnlineStore } from '../subgraphs/commerce/store/store.entity.js';
import { Auditorium } from '../subgraphs/culture/auditorium/auditorium.entity.js';
import { cultureSubgraph } from '../subgraphs/culture/index.js';
import { RegionBookingRollup } from '../subgraphs/healthcare/rollup/rollup.entity.js';
import { healthcareSubgraph } from '../subgraphs/healthcare/index.js';
import { placesSubgraph } from '../subgraphs/places/index.js';
import { Village } from '../subgraphs/places/village/village.entity.js';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { asEmFind, findIn, type FindInOptions } from '../subgraphs/shared/loaders.js';
import type { SubgraphDefinition } from '../subgraphs/shared/subgraph.js';
import { bootSubgraph } from '../test/support/subgraph.js';
import { fixed, markdownTable } from './stats.js';

const MONTHS = { prop: 'month', from: '2020-01', to: '2020-12' } as const;

interface Shape {
  label: string;
  def: SubgraphDefinition<BaseContext>;
  entity: EntityClass<object>;
  prop: string;
  /** The keys to read: a column of the entity's table. */
  keyColumn: string;
  options?: FindInOptions<Record<string, unknown>>;
}

const SHAPES: Shape[] = [
  {
    label: 'village by code',
    def: placesSubgraph,
    entity: Village,
    prop: 'code',
    keyColumn: 'code',
  },
  {
    label: 'auditorium by village',
    def: cultureSubgraph,
    entity: Auditorium,
    prop: 'villageCode',
    keyColumn: 'village_code',
  },
  {
    label: 'region bookings, 12 months',
    def: healthcareSubgraph,
    entity: RegionBookingRollup,
    prop: 'regionCode',
    keyColumn: 'region_code',
    options: { between: MONTHS, orderBy: ['regionCode', 'month'] },
  },
  {
    label: 'store by id',
    def: commerceSubgraph,
    entity: OnlineStore,
    prop: 'id',
    keyColumn: 'id',
  },
  {
    label: 'store sales, 12 months',
    def: commerceSubgraph,
    entity: StoreMonthlySales,
    prop: 'storeId',
    keyColumn: 'store_id',
    options: { between: MONTHS, orderBy: ['storeId', 'month'] },
  },
];

interface Timing {
  label: string;
  rows: number;
  emFindUs: number[];
  findInUs: number[];
}

async function measure(s: Shape, scope: string, reads: number): Promise<Timing> {
  const booted = await bootSubgraph(s.def, { scopes: [scope] });
  try {
    const orm = booted.started.orm;
    const meta = orm.em.getMetadata().get(s.entity.name);
    const rows: { k: string }[] = await (orm.em.fork() as EntityManager)
      .getConnection()
      .execute(
        `select distinct ${s.keyColumn} as k from ${meta.tableName} ` +
          `where ${s.keyColumn} is not null limit 400`,
        [],
        'all',
      );
    const keys = rows.map((r) => r.k);
    const sets = Array.from({ length: Math.floor(keys.length / 20) }, (_, i) =>
      keys.slice(i * 20, i * 20 + 20),
    );
    if (sets.length === 0) throw new Error(`${s.label}: no keys in scope ${scope}`);
    const ways = {
      emFind: (em: EntityManager, k: string[]) =>
        em.find(s.entity, ...asEmFind(s.prop as never, k, s.options as never)),
      findIn: (em: EntityManager, k: string[]) =>
        findIn(em, s.entity, s.prop as never, k, s.options as never),
    };
    const timing: Timing = { label: s.label, rows: 0, emFindUs: [], findInUs: [] };
    for (let round = 0; round < 2; round++) {
      for (const [name, read] of Object.entries(ways)) {
        let rows = 0;
        const run = async (n: number) => {
          for (let i = 0; i < n; i++)
            rows += (await read(orm.em.fork() as EntityManager, sets[i % sets.length])).length;
        };
        await run(Math.ceil(reads / 4));
        rows = 0;
        const started = performance.now();
        await run(reads);
        const us = ((performance.now() - started) * 1000) / reads;
        (name === 'emFind' ? timing.emFindUs : timing.findInUs).push(us);
        timing.rows = rows / reads;
      }
    }
    return timing;
  } finally {
    await booted.close();
  }
}

const { values } = parseArgs({
  options: {
    scope: { type: 'string', default: '331124' },
    reads: { type: 'string', default: '1000' },
  },
});
if (process.env.TEST_POSTGRES_URL)
  throw new Error('bench:reads measures SQLite (unset TEST_POSTGRES_URL)');
const loadStart = loadavg();
const timings: Timing[] = [];
for (const s of SHAPES) timings.push(await measure(s, values.scope!, Number(values.reads)));
const loadEnd = loadavg();
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(
  markdownTable(
    ['read (20 distinct keys)', 'rows', 'em.find (µs)', 'findIn (µs)', 'em.find ÷ findIn'],
    timings.map((t) => [
      t.label,
      fixed(t.rows, 0),
      t.emFindUs.map((u) => fixed(u, 0)).join(', '),
      t.findInUs.map((u) => fixed(u, 0)).join(', '),
      `${fixed(mean(t.emFindUs) / mean(t.findInUs), 1)}×`,
    ]),
  ),
);
console.log(
  `\n${values.reads} reads each way per round, two rounds, scope ${values.scope}, SQLite; load ` +
    `average ${loadStart.map((l) => l.toFixed(2)).join(' ')} at the start, ` +
    `${loadEnd.map((l) => l.toFixed(2)).join(' ')} at the end.`,
);
