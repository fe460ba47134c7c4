import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, ensureDatabase } from '../subgraphs/shared/pg-admin.js';
import { TEST_POSTGRES_URL } from './support/databases.js';
import { compileDist } from './support/processes.js';
import pg from 'pg';

/**
 * `npm run seed` (scripts/seed.ts, compiled): one process per subgraph, several at once. It
 * loads every database, a second run with --if-empty finds them loaded, a load stopped half-way
 * (the command interrupted, or killed outright) leaves its database empty and no load process
 * behind, and bad arguments get a usage error. Temporary SQLite files or PostgreSQL databases.
 */
const SUBGRAPHS = ['places', 'culture', 'healthcare', 'commerce'] as const;
const dataDir = mkdtempSync(join(tmpdir(), 'rdsg-seedcmd-'));
const prefix = `t_seedcmd_${randomBytes(3).toString('hex')}_`;
const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development' };
const urls = {} as Record<(typeof SUBGRAPHS)[number], string>;

interface Run {
  code: number | null;
  out: string;
}

/** Runs the command; `onOutput` sees the output so far and may act on the process. */
function seed(args: string[], onOutput?: (out: string, pid: number) => void): Promise<Run> {
  const child = spawn(process.execPath, ['dist/scripts/seed.js', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const take = (c: Buffer) => {
    out += c.toString();
    onOutput?.(out, child.pid!);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

/** Rows of a table of a subgraph's database. */
async function count(name: keyof typeof urls, table: string): Promise<number> {
  if (!TEST_POSTGRES_URL) {
    // Read-write: a load killed half-way leaves a hot journal, which the next open rolls back.
    const db = new Database(urls[name].replace(/^sqlite:/, ''));
    try {
      return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: urls[name] });
  await client.connect();
  try {
    return Number((await client.query(`select count(*) as n from ${table}`)).rows[0].n);
  } finally {
    await client.end();
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Loads one subgraph's Zhejiang data and sends the command `signal` once its load process is
 * writing rows; returns that process's pid and how the command ended.
 */
async function stopWhileWriting(
  name: keyof typeof urls,
  signal: NodeJS.Signals,
): Promise<{ pid: number; run: Run }> {
  let pid = 0;
  let sent = false;
  const run = await seed(['--scope', 'zhejiang', '--only', name], (out, parent) => {
    pid ||= Number(new RegExp(`^${name}: loading \\(pid (\\d+)\\)$`, 'm').exec(out)?.[1] ?? 0);
    if (pid && !sent && new RegExp(`${name}\\.village-level units: [1-9]`).test(out)) {
      sent = true;
      process.kill(parent, signal);
    }
  });
  return { pid, run };
}

beforeAll(async () => {
  await compileDist();
  for (const name of SUBGRAPHS) {
    urls[name] = TEST_POSTGRES_URL
      ? await ensureDatabase(TEST_POSTGRES_URL, `${prefix}${name}`)
      : `sqlite:${join(dataDir, `${name}.sqlite`)}`;
    env[`${name.toUpperCase()}_DATABASE_URL`] = urls[name];
  }
}, 120_000);

afterAll(async () => {
  if (TEST_POSTGRES_URL) {
    for (const name of SUBGRAPHS) await dropDatabase(TEST_POSTGRES_URL, `${prefix}${name}`);
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run seed', () => {
  it('refuses bad arguments with a usage error', async () => {
    for (const args of [
      ['--only', 'places,nowhere'],
      ['--jobs', '0'],
      ['--jobs', '1.5'],
      ['--seed', 'x'],
    ]) {
      const run = await seed(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.out).toMatch(/^usage: seed/);
    }
  });

  it('a load interrupted half-way leaves its database empty and no process behind', async () => {
    const { pid, run } = await stopWhileWriting('healthcare', 'SIGTERM');
    expect(run.code).toBe(1);
    expect(run.out).toContain('seed: stopped; loads not finished were rolled back');
    expect(run.out).not.toMatch(/^healthcare: \d/m);
    expect(alive(pid)).toBe(false);
    expect(await count('healthcare', 'facility')).toBe(0);
  }, 60_000);

  it('a load whose command is killed outright stops and rolls back', async () => {
    const { pid, run } = await stopWhileWriting('culture', 'SIGKILL');
    expect(run.code).toBeNull();
    const started = Date.now();
    while (alive(pid) && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
    expect(await count('culture', 'auditorium')).toBe(0);
  }, 60_000);

  it('loads every database, two at once; a second run finds them loaded', async () => {
    const run = await seed(['--scope', '331124', '--jobs', '2']);
    expect(run.code, run.out).toBe(0);
    // Each load's line ("culture: 64 digital_resource, 289 auditorium, … in 1.2 s (…)"):
    // the rows it names add up to the total of the last line.
    let sum = 0;
    for (const name of SUBGRAPHS) {
      const line = new RegExp(`^${name}: (\\d+ \\w+(?:, \\d+ \\w+)*) in `, 'm').exec(run.out);
      expect(line, name).not.toBeNull();
      for (const n of line![1].matchAll(/(\d+) \w+/g)) sum += Number(n[1]);
    }
    const done = /^done: ([\d,]+) rows in [\d.]+ s \(2 at once\), peak memory \d+ MB/m.exec(
      run.out,
    );
    expect(done, run.out).not.toBeNull();
    expect(Number(done![1].replace(/,/g, ''))).toBe(sum);
    expect(await count('healthcare', 'facility')).toBeGreaterThan(0);
    if (!TEST_POSTGRES_URL) {
      // The load ran with a rollback journal and gave the database back in WAL mode.
      const db = new Database(urls.culture.replace(/^sqlite:/, ''), { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    }
    const again = await seed(['--scope', '331124', '--if-empty']);
    expect(again.code, again.out).toBe(0);
    for (const name of SUBGRAPHS)
      expect(again.out).toMatch(new RegExp(`^${name}: already loaded`, 'm'));
  }, 180_000);
});
