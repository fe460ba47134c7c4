import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase, ensureDatabase } from '../../subgraphs/shared/pg-admin.js';

/**
 * The engine the suite runs on: PostgreSQL when TEST_POSTGRES_URL is set (CI sets it), SQLite
 * files in a temporary folder otherwise.
 */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL;
export const ENGINE = TEST_POSTGRES_URL ? 'postgresql' : 'sqlite';

export interface TestDatabase {
  url: string;
  drop: () => Promise<void>;
}

/** A fresh, uniquely named database, so test files can run concurrently. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const suffix = randomBytes(4).toString('hex');
  if (TEST_POSTGRES_URL) {
    const name = `t_${label}_${suffix}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    const url = await ensureDatabase(TEST_POSTGRES_URL, name);
    return { url, drop: () => dropDatabase(TEST_POSTGRES_URL, name) };
  }
  const dir = mkdtempSync(join(tmpdir(), `rdsg-${label}-`));
  return {
    url: `sqlite:${join(dir, `${label}.sqlite`)}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
