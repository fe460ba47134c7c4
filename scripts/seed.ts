/**
 * Loads demo data into every subgraph's own database.
 *
 *   npm run seed -- [--scope zhejiang|national|<region code>] [--seed N] [--only a,b] [--if-empty]
 *
 * Databases come from the subgraphs' own variables (PLACES_DATABASE_URL, …; SQLite files under
 * data/ by default). Each database is migrated first. Places is loaded first; each domain
 * subgraph records the scope in its own database (loaded_scope), and its writes refuse villages
 * outside the recorded scopes, which places does not hold (docs/data.md).
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import type { SubgraphName } from '../contract/subgraphs.js';
import { loadSubgraphConfig } from '../subgraphs/shared/config.js';
import { openDatabase, type EntityManager } from '../subgraphs/shared/database.js';
import {
  LoadedScope,
  loadedPrefixes,
  recordLoadedScope,
} from '../subgraphs/shared/loaded-scope.js';
import { SUBGRAPHS } from './subgraphs.js';

const { values } = parseArgs({
  options: {
    scope: { type: 'string', default: 'zhejiang' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
    'if-empty': { type: 'boolean', default: false },
  },
});
const seed = Number(values.seed);
if (!Number.isInteger(seed)) {
  console.error('--seed must be an integer');
  process.exit(2);
}
const only = values.only?.split(',');

/** Prints rows done, rate and time left at most once a second (to stderr, so logs stay clean). */
function progressPrinter(subgraph: string, started: number) {
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
      `  ${subgraph}.${table}: ${done.toLocaleString('en')} rows${left} (${Math.round(rate).toLocaleString('en')} rows/s)\n`,
    );
  };
}

let totalRows = 0;
const begun = Date.now();
for (const def of SUBGRAPHS) {
  if (only && !only.includes(def.name)) continue;
  const config = loadSubgraphConfig(def.name as SubgraphName);
  const orm = await openDatabase({
    url: config.databaseUrl,
    entities: def.entities,
    migrations: def.migrations,
  });
  try {
    if (values['if-empty']) {
      const count = await (orm.em.fork() as EntityManager).count(def.entities[0].name);
      if (count > 0) {
        console.log(`${def.name}: already loaded (${count} ${def.entities[0].name} rows), skipped`);
        // A database loaded before scopes were recorded takes this command's scope, which loaded
        // places too (the same command, places first): writes check villages against it.
        if (def.entities.includes(LoadedScope)) {
          const knex = (orm.em.fork() as EntityManager).getKnex();
          if ((await loadedPrefixes(knex)).length === 0) {
            await recordLoadedScope(knex, values.scope!);
          }
        }
        continue;
      }
    }
    const started = Date.now();
    const result = await def.seed(orm, {
      scope: values.scope!,
      seed,
      progress: progressPrinter(def.name, started),
    });
    const rows = Object.entries(result.rows)
      .map(([t, n]) => `${n} ${t}`)
      .join(', ');
    const phases = Object.entries(result.seconds ?? {})
      .map(([phase, s]) => `${phase} ${s.toFixed(1)}`)
      .join(', ');
    console.log(
      `${def.name}: ${rows} in ${((Date.now() - started) / 1000).toFixed(1)} s` +
        (phases ? ` (${phases})` : ''),
    );
    totalRows += Object.values(result.rows).reduce((a, b) => a + b, 0);
  } finally {
    await orm.close();
  }
}
console.log(
  `done: ${totalRows.toLocaleString('en')} rows in ${((Date.now() - begun) / 1000).toFixed(1)} s, ` +
    `peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
);
