/**
 * Loads demo data into one subgraph's own database: the unit of work of `npm run seed`
 * (scripts/seed.ts), which runs one such process per subgraph, several at once.
 *
 *   node dist/scripts/seed-subgraph.js --subgraph culture [--scope …] [--seed N] [--if-empty]
 *
 * The database comes from the subgraph's own variables (CULTURE_DATABASE_URL, …) and is migrated
 * first. The load is one transaction: a process that dies or is stopped half-way leaves the
 * database as it was. Started by seed.ts it reports its rows and peak memory over the IPC
 * channel, and stops (rolling back) when that channel closes, so no load outlives its parent.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { SUBGRAPH_NAMES, type SubgraphName } from '../contract/subgraphs.js';
import { loadSubgraphConfig } from '../subgraphs/shared/config.js';
import { openDatabase, type EntityManager } from '../subgraphs/shared/database.js';
import {
  LoadedScope,
  loadedPrefixes,
  recordLoadedScope,
} from '../subgraphs/shared/loaded-scope.js';
import { SUBGRAPHS } from './subgraphs.js';

/** What a load reports to seed.ts when it ends well. */
export interface SeedReport {
  subgraph: SubgraphName;
  rows: number;
  /** Peak resident memory of this process, MB. */
  peakMb: number;
}

const { values } = parseArgs({
  options: {
    subgraph: { type: 'string' },
    scope: { type: 'string', default: 'zhejiang' },
    seed: { type: 'string', default: '1' },
    'if-empty': { type: 'boolean', default: false },
  },
});
const name = values.subgraph as SubgraphName;
const def = SUBGRAPHS.find((d) => d.name === name);
const seed = Number(values.seed);
if (!def || !Number.isInteger(seed)) {
  console.error(`usage: --subgraph ${SUBGRAPH_NAMES.join('|')} [--scope …] [--seed integer]`);
  process.exit(2);
}
// Started by seed.ts: a parent gone (killed, interrupted) ends the load; its transaction rolls back.
const orphaned = () => process.exit(1);
if (process.send) process.once('disconnect', orphaned);

/** Prints rows done, rate and time left at most once a second (to stderr, so logs stay clean). */
function progressPrinter(started: number) {
  let last = 0;
  return (table: string, done: number, total?: number) => {
    const now = Date.now();
    if (now - last < 1000 && done !== total) return;
    last = now;
    const rate = done / Math.max(0.001, (now - started) / 1000);
    const left = total
      ? ` of ${total.toLocaleString('en')}, ${Math.ceil((total - done) / rate)} s left`
      : '';
    process.stderr.write(
      `  ${name}.${table}: ${done.toLocaleString('en')} rows${left} (${Math.round(rate).toLocaleString('en')} rows/s)\n`,
    );
  };
}

const config = loadSubgraphConfig(name);
const orm = await openDatabase({
  url: config.databaseUrl,
  entities: def.entities,
  migrations: def.migrations,
});
let rows = 0;
try {
  const count = values['if-empty']
    ? await (orm.em.fork() as EntityManager).count(def.entities[0].name)
    : 0;
  if (count > 0) {
    console.log(`${name}: already loaded (${count} ${def.entities[0].name} rows), skipped`);
    // A database loaded before scopes were recorded takes this command's scope, which loaded
    // places too (the same command): writes check villages against it.
    if (def.entities.includes(LoadedScope)) {
      const knex = (orm.em.fork() as EntityManager).getKnex();
      if ((await loadedPrefixes(knex)).length === 0) await recordLoadedScope(knex, values.scope!);
    }
  } else {
    const started = Date.now();
    const result = await def.seed(orm, {
      scope: values.scope!,
      seed,
      progress: progressPrinter(started),
    });
    const tables = Object.entries(result.rows)
      .map(([t, n]) => `${n} ${t}`)
      .join(', ');
    const phases = Object.entries(result.seconds ?? {})
      .map(([phase, s]) => `${phase} ${s.toFixed(1)}`)
      .join(', ');
    console.log(
      `${name}: ${tables} in ${((Date.now() - started) / 1000).toFixed(1)} s` +
        (phases ? ` (${phases})` : ''),
    );
    rows = Object.values(result.rows).reduce((a, b) => a + b, 0);
  }
} finally {
  await orm.close();
}
const report: SeedReport = {
  subgraph: name,
  rows,
  peakMb: Math.round(process.resourceUsage().maxRSS / 1024),
};
if (process.send) {
  process.off('disconnect', orphaned);
  process.send(report, () => process.disconnect());
}
