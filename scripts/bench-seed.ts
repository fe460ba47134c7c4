/**
 * Measures the bulk load against this machine's raw insert ceiling, on SQLite and PostgreSQL.
 *
 *   npm run bench:seed -- [--scope national] [--engines sqlite,postgresql] [--only places,culture]
 *
 * For each engine: the ceiling (the fastest plain insert of the same number of rows into one
 * table with no index: prepared statements of 64 rows in one transaction with a rollback journal
 * on SQLite, as the loads write, COPY on PostgreSQL),
 * then each subgraph's seeder on a fresh database. Prints rows per table, seconds, rows/s, the
 * ratio to the ceiling and peak memory. PostgreSQL: POSTGRES_ADMIN_URL
 * (default postgresql://postgres@127.0.0.1:5432/postgres); temporary databases are dropped.
 */
import 'reflect-metadata';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openDatabase, type DatabaseDialect } from '../subgraphs/shared/database.js';
import { countVillages, scopePrefix } from '../subgraphs/shared/divisions.js';
import { dropDatabase, ensureDatabase } from '../subgraphs/shared/pg-admin.js';
import { SUBGRAPHS } from './subgraphs.js';

const { values } = parseArgs({
  options: {
    scope: { type: 'string', default: 'national' },
    engines: { type: 'string', default: 'sqlite,postgresql' },
    only: { type: 'string' },
  },
});
const adminUrl = process.env.POSTGRES_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const engines = values.engines!.split(',') as DatabaseDialect[];
const only = values.only?.split(',');
const scope = values.scope!;

/** Peak RSS while `fn` runs, sampled every 50 ms. */
async function withPeakMemory<T>(fn: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMb: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}

function ceilingRow(i: number): string[] {
  const code = String(100000000000 + i);
  return [
    code,
    `村${i}村委会`,
    'RURAL_VILLAGE',
    code.slice(0, 9),
    code.slice(0, 6),
    code.slice(0, 4),
    code.slice(0, 2),
  ];
}

async function ceilingSqlite(dir: string, rows: number): Promise<number> {
  const db = new Database(join(dir, 'ceiling.sqlite'));
  db.pragma('journal_mode = truncate');
  db.pragma('synchronous = full');
  db.exec('create table plain (a text, b text, c text, d text, e text, f text, g text)');
  const perStatement = 64;
  const tuple = '(?, ?, ?, ?, ?, ?, ?)';
  const stmt = (n: number) =>
    db.prepare(`insert into plain values ${Array(n).fill(tuple).join(', ')}`);
  const full = stmt(perStatement);
  const started = performance.now();
  db.transaction(() => {
    for (let i = 0; i < rows; i += perStatement) {
      const n = Math.min(perStatement, rows - i);
      const values: string[] = [];
      for (let j = i; j < i + n; j++) values.push(...ceilingRow(j));
      (n === perStatement ? full : stmt(n)).run(values);
    }
  })();
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return rows / seconds;
}

async function ceilingPostgres(url: string, rows: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      'create table plain (a text, b text, c text, d text, e text, f text, g text)',
    );
    function* lines() {
      let chunk = '';
      for (let i = 0; i < rows; i++) {
        chunk += ceilingRow(i).join('\t') + '\n';
        if (i % 1000 === 999) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    }
    const started = performance.now();
    await pipeline(Readable.from(lines()), client.query(copyFrom('copy plain from stdin')));
    return rows / ((performance.now() - started) / 1000);
  } finally {
    await client.end();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const rowCount = await countVillages(scopePrefix(scope));
console.log(
  `bulk-load benchmark: scope ${scope} (${fmt(rowCount)} village-level units), ${new Date().toISOString()}`,
);
console.log(await machine());

/** What the figures were measured on: CPUs, memory, load, engine versions. */
async function machine(): Promise<string> {
  const sqlite = new Database(':memory:');
  const sqliteVersion = (sqlite.prepare('select sqlite_version() as v').get() as { v: string }).v;
  sqlite.close();
  let postgres = 'not used';
  if (engines.includes('postgresql')) {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    postgres = (await client.query<{ v: string }>("select current_setting('server_version') as v"))
      .rows[0].v;
    await client.end();
  }
  return [
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB memory, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    `versions: Node.js ${process.versions.node}, SQLite ${sqliteVersion} (better-sqlite3), PostgreSQL ${postgres}`,
  ].join('\n');
}

for (const engine of engines) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-seed-'));
  const dbNames: string[] = [];
  const urlFor = async (name: string) => {
    if (engine === 'sqlite') return `sqlite:${join(dir, `${name}.sqlite`)}`;
    const db = `bench_seed_${name}_${process.pid}`;
    dbNames.push(db);
    return ensureDatabase(adminUrl, db);
  };
  try {
    const ceiling =
      engine === 'sqlite'
        ? await ceilingSqlite(dir, rowCount)
        : await ceilingPostgres(await urlFor('ceiling'), rowCount);
    console.log(
      `\n${engine}: raw insert ceiling ${fmt(ceiling)} rows/s (${fmt(rowCount)} rows, one plain table, no index)`,
    );
    console.log(
      'subgraph    | rows                                   | seconds | rows/s   | ratio to ceiling | write rows/s (ratio) | phases (s)                | peak RSS',
    );
    for (const def of SUBGRAPHS) {
      if (only && !only.includes(def.name)) continue;
      const orm = await openDatabase({
        url: await urlFor(def.name),
        entities: def.entities,
        migrations: def.migrations,
      });
      try {
        const started = performance.now();
        const { result, peakMb } = await withPeakMemory(() => def.seed(orm, { scope, seed: 1 }));
        const seconds = (performance.now() - started) / 1000;
        const total = Object.values(result.rows).reduce((a, b) => a + b, 0);
        const rate = total / seconds;
        const tables = Object.entries(result.rows)
          .map(([t, n]) => `${t} ${fmt(n)}`)
          .join(', ');
        // The phase that streams rows into the tables, comparable with the raw insert ceiling.
        const write = result.seconds?.write ?? result.seconds?.villages;
        const writeRate = write
          ? `${fmt(total / write)} (${(total / write / ceiling).toFixed(2)})`
          : '-';
        const phases = Object.entries(result.seconds ?? {})
          .map(([p, s]) => `${p} ${s.toFixed(1)}`)
          .join(', ');
        console.log(
          `${def.name.padEnd(11)} | ${tables.padEnd(38)} | ${seconds.toFixed(1).padStart(7)} | ${fmt(rate).padStart(8)} | ${(rate / ceiling).toFixed(2).padStart(16)} | ${writeRate.padStart(20)} | ${phases.padEnd(25)} | ${peakMb} MB`,
        );
      } finally {
        await orm.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    for (const db of dbNames) await dropDatabase(adminUrl, db);
  }
}
console.log(
  `\npeak memory of the whole run: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
);
