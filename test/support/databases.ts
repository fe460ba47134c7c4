import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { dropDatabase, ensureDatabase, withDatabase } from '../../subgraphs/shared/pg-admin.js';

/**
 * The engine the suite runs on: PostgreSQL when TEST_POSTGRES_URL is set (CI sets it), SQLite
 * files in a temporary folder otherwise.
 */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL;
export type Engine = 'postgresql' | 'sqlite';
export const ENGINE: Engine = TEST_POSTGRES_URL ? 'postgresql' : 'sqlite';

export interface TestDatabase {
  url: string;
  drop: () => Promise<void>;
}

/**
 * A fresh, uniquely named database, so test files can run concurrently. On PostgreSQL, `icuLocale`
 * creates it with that ICU collation instead of "C" (a server's locale, as an operator's own
 * database may have); SQLite has no such choice. `engine` picks SQLite on a PostgreSQL run (a
 * test comparing the two).
 */
export async function createTestDatabase(
  label: string,
  opts: { icuLocale?: string; engine?: Engine } = {},
): Promise<TestDatabase> {
  if (TEST_POSTGRES_URL && (opts.engine ?? ENGINE) === 'postgresql') {
    const name = uniqueName(label);
    const url = await createPostgresDatabase(TEST_POSTGRES_URL, name, opts.icuLocale);
    return { url, drop: () => dropDatabase(TEST_POSTGRES_URL, name) };
  }
  const dir = mkdtempSync(join(tmpdir(), `rdsg-${label}-`));
  return {
    url: `sqlite:${join(dir, `${label}.sqlite`)}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

const uniqueName = (label: string) =>
  `t_${label}_${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');

/** Database `name` on `server`, of collation "C" or, given `icuLocale`, of that ICU collation. */
export async function createPostgresDatabase(
  server: string,
  name: string,
  icuLocale?: string,
): Promise<string> {
  return icuLocale
    ? await createIcuDatabase(server, name, icuLocale)
    : await ensureDatabase(server, name);
}

/** PostgreSQL: a fresh, uniquely named copy of `template`, a database no one is connected to. */
export async function copyTestDatabase(label: string, template: string): Promise<TestDatabase> {
  const server = TEST_POSTGRES_URL!;
  const name = uniqueName(label);
  const client = new pg.Client({ connectionString: withDatabase(server, 'postgres') });
  await client.connect();
  try {
    await client.query(`create database "${name}" template "${template}"`);
  } finally {
    await client.end();
  }
  return { url: withDatabase(server, name), drop: () => dropDatabase(server, name) };
}

async function createIcuDatabase(server: string, name: string, icuLocale: string): Promise<string> {
  if (!/^[a-zA-Z0-9-]+$/.test(icuLocale)) throw new Error(`unsafe ICU locale: ${icuLocale}`);
  const client = new pg.Client({ connectionString: withDatabase(server, 'postgres') });
  await client.connect();
  try {
    await client.query(
      `create database "${name}" template template0 locale_provider icu ` +
        `icu_locale '${icuLocale}' locale 'C'`,
    );
  } finally {
    await client.end();
  }
  return withDatabase(server, name);
}
