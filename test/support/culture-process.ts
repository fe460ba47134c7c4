import { spawn, type ChildProcess } from 'node:child_process';
import { cultureSubgraph } from '../../subgraphs/culture/index.js';
import { openDatabase, type Orm } from '../../subgraphs/shared/database.js';
import type { TestDatabase } from './databases.js';
import { compileDist, freePort } from './processes.js';
import { seededDatabase } from './seeded-templates.js';

/** Culture as a process of its own, on a database of its own; `stop` ends both. */
export interface CultureProcess {
  db: TestDatabase;
  orm: Orm;
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  base: string;
  /** The process's stdout and stderr, last 20 kB. */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Culture running the compiled code (`node dist/subgraphs/culture/main.js`, as `npm start`
 * runs it; tsc emits even where others' files do not type-check) on a fresh database seeded
 * with `scope`, once it answers /readyz. For fault tests that stop, continue or kill it.
 */
export async function startCultureProcess(scope: string): Promise<CultureProcess> {
  await compileDist();
  const db = await seededDatabase(cultureSubgraph as never, { scopes: [scope], seed: 1 });
  const orm = await openDatabase({
    url: db.url,
    entities: cultureSubgraph.entities,
    migrations: cultureSubgraph.migrations,
  });
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/subgraphs/culture/main.js'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      CULTURE_HOST: '127.0.0.1',
      CULTURE_PORT: String(port),
      CULTURE_DATABASE_URL: db.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (c: Buffer) => (output = (output + c.toString()).slice(-20_000));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGCONT');
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await orm.close();
    await db.drop();
  };
  for (const deadline = Date.now() + 60_000; ;) {
    const ready = await fetch(`${base}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`culture did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { db, orm, child, base, output: () => output, stop };
}
