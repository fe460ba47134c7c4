import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { OPERATIONS, VILLAGE } from './support/fault-answers.js';
import { bootStack, type Stack } from './support/stack.js';

/**
 * Another process holds culture's SQLite file with a write transaction open (a seed load, an
 * operator's `BEGIN IMMEDIATE` in a shell). better-sqlite3 waited for the lock synchronously,
 * 5 s per statement by default: each write queued behind it stopped culture's event loop for
 * 5 s, so its /healthz took 2.5-5 s and a read, which WAL lets through, timed out at the
 * gateway. A write now waits for the lock in short tries with pauses between (transaction.ts):
 * reads and /healthz are answered meanwhile; a write the lock is given back to in time is
 * applied once, one that waits past SQLITE_LOCK_WAIT_MS writes nothing and says so.
 */
const RECORD = `mutation($i: RecordAuditoriumEventInput!) { recordAuditoriumEvent(input: $i) { id } }`;
const PROFILE = OPERATIONS.find((o) => o.name === 'VillageProfile')!;
const INTERNAL = /sqlite|\/tmp|\bselect\b|\binsert\b|SQLITE_|locked/i;

/** A process of its own holding the file's write lock until `release`. */
async function holdWriteLock(
  file: string,
): Promise<{ child: ChildProcess; release: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const db = new (require('better-sqlite3'))(process.argv[1]);
       db.exec('BEGIN IMMEDIATE');
       process.stdout.write('held');
       process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.exit(0); });`,
      file,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await once(child.stdout!, 'data');
  return {
    child,
    release: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin!.write('go\n');
      await exited;
    },
  };
}

describe('culture on SQLite, its file write-locked by another process', () => {
  let stack: Stack;
  let file: string;
  let holder: Awaited<ReturnType<typeof holdWriteLock>> | undefined;
  beforeAll(async () => {
    stack = await bootStack({
      scopes: ['331124'],
      engine: 'sqlite',
      env: { SUBGRAPH_TIMEOUT_MS: '9000', SUBGRAPH_RETRIES: '0' },
    });
    file = stack.subgraphs.culture.started.orm.config.get('dbName')!;
  });
  afterEach(async () => {
    await holder?.release();
    holder = undefined;
  });
  afterAll(() => stack?.close());

  const write = (title: string) =>
    stack.query(
      RECORD,
      {
        i: {
          auditoriumId: `aud-${VILLAGE}`,
          date: '2021-03-01',
          title,
          type: 'LECTURE',
          attendance: 3,
        },
      },
      { ...stack.steward, 'Idempotency-Key': title },
    );
  const written = async (title: string) => {
    const knex = (stack.subgraphs.culture.started.orm.em.fork() as EntityManager).getKnex();
    const [{ n }] = await knex('auditorium_event').where({ title }).count({ n: '*' });
    return Number(n);
  };
  const timed = async <T>(work: () => Promise<T>) => {
    const start = Date.now();
    return { value: await work(), ms: Date.now() - start };
  };

  it('a write waits for a lock given back within the wait, and is applied once', async () => {
    const title = `locked-briefly-${Date.now()}`;
    holder = await holdWriteLock(file);
    const answer = write(title);
    await new Promise((r) => setTimeout(r, 1_000));
    await holder.release();
    expect((await answer).body.errors).toBeUndefined();
    expect(await written(title)).toBe(1);
  });

  it('held past the wait: reads and /healthz answered meanwhile, writes refused, retries write once', async () => {
    const baseline = (await stack.query(PROFILE.query, PROFILE.variables)).body;
    const titles = [1, 2, 3].map((i) => `locked-${i}-${Date.now()}`);
    holder = await holdWriteLock(file);
    const writes = titles.map((t) => write(t));
    await new Promise((r) => setTimeout(r, 300));
    const healthz = culture('/healthz');
    const health = await timed(() => fetch(healthz).then((r) => r.status));
    const read = await timed(() => stack.query(PROFILE.query, PROFILE.variables));
    expect([health.value, health.ms < 1_000]).toEqual([200, true]);
    expect(read.value.body).toEqual(baseline);
    expect(read.ms).toBeLessThan(1_000);
    for (const refused of await Promise.all(writes)) {
      expect(refused.body.errors?.map((e) => [e.path, e.extensions?.code, e.message])).toEqual([
        [
          ['recordAuditoriumEvent'],
          'SUBGRAPH_UNAVAILABLE',
          expect.stringMatching(/busy; nothing was written/),
        ],
      ]);
      expect(JSON.stringify(refused.body)).not.toMatch(INTERNAL);
    }
    for (const t of titles) expect(await written(t)).toBe(0);
    await holder.release();
    for (const t of titles) {
      expect((await write(t)).body.errors).toBeUndefined();
      expect(await written(t)).toBe(1);
    }
  }, 30_000);

  function culture(path: string): string {
    return stack.subgraphs.culture.url.replace(/\/graphql$/, path);
  }
});
