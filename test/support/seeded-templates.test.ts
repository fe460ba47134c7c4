import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../../subgraphs/shared/pg-admin.js';
import { TEST_POSTGRES_URL } from './databases.js';
import { dropAbandonedTemplates, newTemplateRun } from './seeded-templates.js';

/** A run name as newTemplateRun makes them, begun `agoMs` ago. */
const runBegun = (agoMs: number) => `${(Date.now() - agoMs).toString(36)}${'a1b2c3'}`;
const HOUR = 3_600_000;
const runs = { old: runBegun(7 * HOUR), recent: runBegun(HOUR / 2), legacy: 'ab12cd34' };
const dirOf = (run: string) => join(tmpdir(), `rdsg-templates-${run}`);
const dbOf = (run: string) => `t_tpl_${run}_culture_0000`;

async function onServer<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(TEST_POSTGRES_URL!, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const run of Object.values(runs)) rmSync(dirOf(run), { recursive: true, force: true });
  if (TEST_POSTGRES_URL) {
    await onServer(async (c) => {
      for (const run of Object.values(runs))
        await c.query(`drop database if exists "${dbOf(run)}"`);
    });
  }
});

describe('templates left by a run killed before its end', () => {
  it('names runs by when they began', () => {
    const run = newTemplateRun();
    expect(Math.abs(parseInt(run.slice(0, -6), 36) - Date.now())).toBeLessThan(60_000);
  });

  it('removes those of runs begun before the age given, and no other', async () => {
    for (const run of Object.values(runs)) mkdirSync(dirOf(run), { recursive: true });
    if (TEST_POSTGRES_URL) {
      await onServer(async (c) => {
        for (const run of Object.values(runs)) await c.query(`create database "${dbOf(run)}"`);
      });
    }
    await dropAbandonedTemplates(TEST_POSTGRES_URL, 6 * HOUR);
    expect(existsSync(dirOf(runs.old))).toBe(false);
    expect(existsSync(dirOf(runs.recent))).toBe(true);
    expect(existsSync(dirOf(runs.legacy))).toBe(true);
    if (TEST_POSTGRES_URL) {
      const names = await onServer(async (c) => {
        const { rows } = await c.query<{ datname: string }>(
          "select datname from pg_database where datname like 't\\_tpl\\_%'",
        );
        return rows.map((r) => r.datname);
      });
      expect(names).not.toContain(dbOf(runs.old));
      expect(names).toEqual(expect.arrayContaining([dbOf(runs.recent), dbOf(runs.legacy)]));
    }
  });
});
