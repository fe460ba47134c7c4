/**
 * Loads demo data into every subgraph's own database.
 *
 *   npm run seed -- [--scope zhejiang|national|<region code>] [--seed N] [--only a,b] [--if-empty]
 *                   [--jobs N]
 *
 * Each subgraph is loaded by a process of its own (scripts/seed-subgraph.ts), `--jobs` of them at
 * once (default: one per CPU, at most one per subgraph), the longest loads first. The loads are
 * independent: each database is migrated, loaded in one transaction and records its scope
 * (loaded_scope) itself; a domain's writes refuse villages outside the recorded scopes, which
 * places does not hold (docs/data.md). If one load fails the others are stopped (each rolls
 * back what it had not committed) and the command exits non-zero. Databases come from the
 * subgraphs' own variables (PLACES_DATABASE_URL, …; SQLite files under data/ by default).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SUBGRAPH_NAMES, type SubgraphName } from '../contract/subgraphs.js';
import type { SeedReport } from './seed-subgraph.js';

/**
 * Longest load first, so that the last to start is the shortest (national SQLite loads measured
 * in docs/bench-seed.md: healthcare ~95 s, culture ~70, commerce ~55, places ~6).
 */
const LONGEST_FIRST: SubgraphName[] = ['healthcare', 'culture', 'commerce', 'places'];

const { values } = parseArgs({
  options: {
    scope: { type: 'string', default: 'zhejiang' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
    'if-empty': { type: 'boolean', default: false },
    jobs: { type: 'string' },
  },
});
const only = values.only?.split(',') ?? [...SUBGRAPH_NAMES];
const unknown = only.filter((n) => !SUBGRAPH_NAMES.includes(n as SubgraphName));
const names = LONGEST_FIRST.filter((n) => only.includes(n));
const jobs = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
if (
  unknown.length > 0 ||
  !Number.isInteger(Number(values.seed)) ||
  !Number.isInteger(jobs) ||
  jobs < 1
) {
  console.error(
    `usage: seed [--scope …] [--seed integer] [--only ${SUBGRAPH_NAMES.join(',')}] [--jobs N ≥ 1]` +
      (unknown.length > 0 ? `\nunknown subgraph: ${unknown.join(', ')}` : ''),
  );
  process.exit(2);
}

const script = join(dirname(fileURLToPath(import.meta.url)), 'seed-subgraph.js');
const args = ['--scope', values.scope!, '--seed', values.seed!];
if (values['if-empty']) args.push('--if-empty');

/** Resident memory of a running process, MB (Linux); 0 where it cannot be read. */
function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

const running = new Map<SubgraphName, ChildProcess>();
const reports: SeedReport[] = [];
let failed: string | undefined;
let peakTogether = 0;
const sampler = setInterval(() => {
  let sum = rssMb(process.pid);
  for (const child of running.values()) sum += child.pid ? rssMb(child.pid) : 0;
  peakTogether = Math.max(peakTogether, sum);
}, 250);

function stopAll(reason: string): void {
  failed ??= reason;
  for (const child of running.values()) child.kill('SIGTERM');
}
process.once('SIGINT', () => stopAll('interrupted'));
process.once('SIGTERM', () => stopAll('stopped'));

/** Runs one load to its end; a failure stops the others. */
function load(name: SubgraphName): Promise<void> {
  // No heap limit of its own: 192 MB made V8 collect so often that a province's loads took 1.2
  // times as long; a load holds one batch of rows and a 64 MB SQLite cache (docs/bench-seed.md).
  const child = fork(script, ['--subgraph', name, ...args], { execArgv: [], stdio: 'inherit' });
  running.set(name, child);
  console.log(`${name}: loading (pid ${child.pid})`);
  child.on('message', (m) => reports.push(m as SeedReport));
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(name);
      if (code !== 0 && !failed) {
        console.error(`${name}: load failed (${signal ?? `exit code ${code}`})`);
        stopAll(`${name} failed`);
      }
      resolve();
    });
  });
}

const begun = Date.now();
const queue = [...names];
await Promise.all(
  Array.from({ length: Math.min(jobs, names.length) }, async () => {
    for (let next = queue.shift(); next && !failed; next = queue.shift()) await load(next);
  }),
);
clearInterval(sampler);
if (failed) {
  console.error(`seed: ${failed}; loads not finished were rolled back`);
  process.exit(1);
}
const rows = reports.reduce((a, r) => a + r.rows, 0);
const largest = reports.reduce((a, r) => (r.peakMb > a.peakMb ? r : a), reports[0]!);
console.log(
  `done: ${rows.toLocaleString('en')} rows in ${((Date.now() - begun) / 1000).toFixed(1)} s ` +
    `(${Math.min(jobs, names.length)} at once), peak memory ${Math.round(peakTogether)} MB ` +
    `together (sampled every 0.25 s), ${largest.peakMb} MB the largest load (${largest.subgraph})`,
);
