import pg from 'pg';

/** The URL of database `name` on the same server as `url`. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const SAFE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates database `name` unless it exists; returns its URL. Collation "C", as
 * deploy/postgres/init.sql: text sorts by code point, as on SQLite, and keys sort and index
 * faster than under a libc locale such as C.UTF-8 (docs/bench-seed.md).
 */
export async function ensureDatabase(url: string, name: string): Promise<string> {
  if (!SAFE_NAME.test(name)) throw new Error(`unsafe database name: ${name}`);
  await admin(url, async (c) => {
    const found = await c.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      await c.query(`create database "${name}" template template0 lc_collate 'C'`);
    }
  });
  return withDatabase(url, name);
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  if (!SAFE_NAME.test(name)) throw new Error(`unsafe database name: ${name}`);
  await admin(url, (c) => c.query(`drop database if exists "${name}" with (force)`));
}
