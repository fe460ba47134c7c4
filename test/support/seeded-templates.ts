import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaseContext } from '@apollo/server';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase } from '../../subgraphs/shared/database.js';
import { withDatabase } from '../../subgraphs/shared/pg-admin.js';
import type { SubgraphDefinition } from '../../subgraphs/shared/subgraph.js';
import {
  copyTestDatabase,
  createPostgresDatabase,
  ENGINE,
  TEST_POSTGRES_URL,
  type Engine,
  type TestDatabase,
} from './databases.js';
import { sourcesStamp } from './processes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Names this run's seeded templates, which test/global-setup.ts removes at its end. */
    templateRun: string;
  }
}

/** Where this run keeps its templates: SQLite files, PostgreSQL database names. */
export const templatePlace = (run: string) => ({
  dir: join(tmpdir(), `rdsg-templates-${run}`),
  prefix: `t_tpl_${run}_`,
});

interface Template {
  /** The SQLite file, or the PostgreSQL database name. */
  source: string;
  /** PostgreSQL copies one at a time: a template being copied takes no other copy. */
  turn: Promise<unknown>;
}

/** This worker's templates, by subgraph, scopes, seed, collation and the age of the sources. */
const templates = new Map<string, Promise<Template>>();

/**
 * A fresh, uniquely named database for `def`, migrated and seeded with `scopes` in order: a copy
 * of a template this worker migrated and seeded the first time it met the same subgraph, scopes,
 * seed and collation (a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL). A
 * county's seeding took 0.4-1 s a subgraph, a province's tens of seconds, in most of ~65 test
 * files; the copy is the rows the seeder wrote, as a subgraph process finds them after `npm run
 * seed`.
 */
export async function seededDatabase(
  def: SubgraphDefinition<BaseContext>,
  opts: { scopes: string[]; seed: number; icuLocale?: string; engine?: Engine },
): Promise<TestDatabase> {
  // With the sources' age: a seeder or migration edited while a watching run goes on.
  const key = JSON.stringify([
    def.name,
    opts.scopes,
    opts.seed,
    opts.icuLocale ?? null,
    opts.engine ?? ENGINE,
    sourcesStamp(['subgraphs', 'contract']),
  ]);
  let template = templates.get(key);
  if (!template) {
    template = buildTemplate(def, opts);
    templates.set(key, template);
    // A failed build is not remembered: the next boot tries again (and fails alike, visibly).
    template.catch(() => templates.delete(key));
  }
  const t = await template;
  if ((opts.engine ?? ENGINE) === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `rdsg-${def.name}-`));
    const file = join(dir, `${def.name}.sqlite`);
    copyFileSync(t.source, file);
    return {
      url: `sqlite:${file}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const copy = t.turn.then(() => copyTestDatabase(def.name, t.source));
  t.turn = copy.catch(() => undefined);
  return copy;
}

async function buildTemplate(
  def: SubgraphDefinition<BaseContext>,
  opts: { scopes: string[]; seed: number; icuLocale?: string; engine?: Engine },
): Promise<Template> {
  const place = templatePlace(inject('templateRun'));
  const label = `${def.name}_${randomBytes(4).toString('hex')}`;
  let url: string;
  let source: string;
  const postgres = TEST_POSTGRES_URL && (opts.engine ?? ENGINE) === 'postgresql';
  if (postgres) {
    source = `${place.prefix}${label}`;
    url = await createPostgresDatabase(TEST_POSTGRES_URL!, source, opts.icuLocale);
  } else {
    mkdirSync(place.dir, { recursive: true });
    source = join(place.dir, `${label}.sqlite`);
    url = `sqlite:${source}`;
  }
  const orm = await openDatabase({ url, entities: def.entities, migrations: def.migrations });
  try {
    for (const scope of opts.scopes) await def.seed(orm, { scope, seed: opts.seed });
  } finally {
    // Closed: no connection may hold a PostgreSQL template, and SQLite folds its WAL back in.
    await orm.close();
  }
  if (!postgres && existsSync(`${source}-wal`))
    throw new Error(`${source}: the write-ahead log was left after closing`);
  return { source, turn: Promise.resolve() };
}

/** Drops this run's PostgreSQL templates (the SQLite ones go with their folder). */
export function dropTemplates(server: string, run: string): Promise<void> {
  const prefix = templatePlace(run).prefix;
  return dropTemplateDatabases(server, (name) => name.startsWith(prefix));
}

/**
 * A run's name begins with the time it started (ms, base 36): a run killed before its end leaves
 * its templates behind, and a later run can tell how old they are.
 */
export const newTemplateRun = () => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

/** Whether `run` names a run begun before `before` (epoch ms); names of another form are kept. */
function begunBefore(run: string, before: number): boolean {
  return /^[0-9a-z]{8,}[0-9a-f]{6}$/.test(run) && parseInt(run.slice(0, -6), 36) < before;
}

/**
 * Removes the templates of runs begun more than `ageMs` ago, SQLite folders and PostgreSQL
 * databases alike; a run still going on (another checkout's, at the same time) is younger.
 */
export async function dropAbandonedTemplates(server: string | undefined, ageMs: number) {
  const before = Date.now() - ageMs;
  for (const entry of readdirSync(tmpdir())) {
    const run = /^rdsg-templates-(.+)$/.exec(entry)?.[1];
    if (run && begunBefore(run, before)) {
      rmSync(join(tmpdir(), entry), { recursive: true, force: true });
    }
  }
  if (!server) return;
  await dropTemplateDatabases(server, (name) => {
    const run = /^t_tpl_([0-9a-z]+)_/.exec(name)?.[1];
    return run !== undefined && begunBefore(run, before);
  });
}

async function dropTemplateDatabases(server: string, which: (name: string) => boolean) {
  const client = new pg.Client({ connectionString: withDatabase(server, 'postgres') });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "select datname from pg_database where datname like 't\\_tpl\\_%'",
    );
    for (const { datname } of rows.filter((r) => which(r.datname)))
      await client.query(`drop database if exists "${datname}" with (force)`);
  } finally {
    await client.end();
  }
}
