import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { EntityManager } from '../subgraphs/shared/database.js';
import {
  cultureOnPrivatePostgres,
  INTERNAL,
  PROFILE,
  READ,
  RECORD,
  SUBGRAPH_TIMEOUT_MS,
} from './support/database-faults.js';
import { VILLAGE, violations } from './support/fault-answers.js';
import {
  privatePostgresMissing,
  startPrivatePostgres,
  type PrivatePostgres,
} from './support/private-postgres.js';
import type { Stack } from './support/stack.js';
import { postGraphQL, type GraphQLResponse } from './support/subgraph.js';

/**
 * Culture's PostgreSQL server fails under a running stack (the server is a throwaway cluster
 * of this file's own: the shared one serves other tests): stopped, hung (SIGSTOP), its
 * sessions terminated, then back. Through the gateway every answer is the fault-free one or
 * culture's fields null with SUBGRAPH_UNAVAILABLE, in bounded time, with no internal name;
 * culture answers again without a restart. With the server hung, requests queued for the
 * pool's taken connections waited knex's default 60 s and then failed as INTERNAL_SERVER_ERROR
 * (MikroORM's rename of knex's timeout); they now fail within DB_ACQUIRE_TIMEOUT_MS (5 s).
 */
const missing = privatePostgresMissing();

describe.skipIf(missing)(`culture's PostgreSQL server failing (skipped: ${missing})`, () => {
  let pg: PrivatePostgres;
  let stack: Stack;
  let culture: string;
  let baseline: unknown;
  // What the database driver printed outside the log (knex's warnings went to console.log).
  let printed: MockInstance<typeof console.log>;
  beforeAll(async () => {
    printed = vi.spyOn(console, 'log');
    pg = await startPrivatePostgres();
    ({ stack, culture, baseline } = await cultureOnPrivatePostgres(pg.url));
  }, 120_000);
  afterAll(async () => {
    printed?.mockRestore();
    await stack?.close();
    await pg?.close();
  });

  const readyz = () => fetch(culture.replace(/\/graphql$/, '/readyz')).then((r) => r.status);
  const profile = () => stack.query(PROFILE.query, PROFILE.variables);
  const codes = (r: GraphQLResponse) => [...new Set(r.body.errors?.map((e) => e.extensions?.code))];
  const written = async (title: string) => {
    const knex = (stack.subgraphs.culture.started.orm.em.fork() as EntityManager).getKnex();
    const [{ n }] = await knex('auditorium_event').where({ title }).count({ n: '*' });
    return Number(n);
  };
  const timed = async <T>(work: Promise<T>) => {
    const start = Date.now();
    const value = await work;
    return { value, ms: Date.now() - start };
  };
  /** Polls until `check` holds (recovery), failing after `ms`; how long it took. */
  const within = async (ms: number, check: () => Promise<boolean>) => {
    const start = Date.now();
    while (!(await check())) {
      if (Date.now() - start > ms) throw new Error(`not recovered within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return Date.now() - start;
  };
  const answersAgain = () =>
    within(15_000, async () => {
      const r = await profile();
      return r.body.errors === undefined && (await readyz()) === 200;
    });

  /** Records an event titled `title`, with `title` as its Idempotency-Key. */
  const record = (title: string) => {
    const i = { auditoriumId: `aud-${VILLAGE}`, date: '2021-03-01', title, type: 'LECTURE' };
    return stack.query(
      RECORD,
      { i: { ...i, attendance: 3 } },
      { ...stack.steward, 'Idempotency-Key': title },
    );
  };

  it('stopped: culture fields null with SUBGRAPH_UNAVAILABLE, no write; back after restart', async () => {
    const title = `outage-${Date.now()}`;
    const write = () => record(title);
    await pg.stop();
    try {
      const read = await profile();
      expect(read.status).toBe(200);
      expect(violations(baseline, read, PROFILE.query)).toEqual([]);
      expect(codes(read)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      const refused = await write();
      expect(refused.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
        [['recordAuditoriumEvent'], 'SUBGRAPH_UNAVAILABLE'],
      ]);
      const direct = await postGraphQL(culture, READ);
      expect(codes(direct)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      for (const r of [read, refused, direct]) expect(JSON.stringify(r.body)).not.toMatch(INTERNAL);
      expect(await readyz()).toBe(503);
    } finally {
      await pg.start();
    }
    await answersAgain();
    // The retry with the same key writes once, as nothing was written before.
    const retried = await write();
    expect(retried.body.errors).toBeUndefined();
    expect(await written(title)).toBe(1);
    expect((await write()).body).toEqual(retried.body);
    expect(await written(title)).toBe(1);
  }, 60_000);

  it('sessions terminated (a failover): the pool reconnects, reads are answered', async () => {
    const name = new URL(stack.subgraphs.culture.started.orm.config.get('clientUrl')!).pathname;
    expect(await pg.terminate(name.slice(1))).toBeGreaterThan(0);
    const read = await profile();
    expect(violations(baseline, read, PROFILE.query)).toEqual([]);
    expect(JSON.stringify(read.body)).not.toMatch(INTERNAL);
    await answersAgain();
  }, 30_000);

  it('hung: bounded answers, queued requests fail within the acquire timeout; back after', async () => {
    const title = `hung-${Date.now()}`;
    pg.freeze();
    let held: Promise<{ r: GraphQLResponse; ms: number }>[] | undefined;
    try {
      // A write the gateway gives up on: applied or not, the answer cannot know which.
      const lost = await record(title);
      expect(lost.body.errors?.map((e) => [e.path, e.extensions?.code, e.message])).toEqual([
        [
          ['recordAuditoriumEvent'],
          'SUBGRAPH_UNAVAILABLE',
          expect.stringMatching(/may or may not/),
        ],
      ]);
      const gateway = await timed(profile());
      expect(gateway.ms).toBeLessThan(SUBGRAPH_TIMEOUT_MS + 1_500);
      expect(violations(baseline, gateway.value, PROFILE.query)).toEqual([]);
      expect(codes(gateway.value)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      const health = await timed(fetch(`http://127.0.0.1:${stack.gateway.port}/healthz`));
      expect([health.value.status, health.ms < 1_000]).toEqual([200, true]);
      expect(await readyz()).toBe(503);
      // More requests than the pool has connections (10): those left waiting must not wait
      // for the database to come back.
      const started = Date.now();
      const all = Array.from({ length: 14 }, () =>
        postGraphQL(culture, READ).then((r) => ({ r, ms: Date.now() - started })),
      );
      held = all;
      const first = await Promise.race([
        Promise.any(all.map((p) => p.then((x) => (x.r.body.errors ? x : Promise.reject())))),
        new Promise<undefined>((r) => setTimeout(r, 15_000)),
      ]);
      expect(first, 'an answer to a queued request within 15 s').toBeDefined();
      expect(codes(first!.r)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      expect(JSON.stringify(first!.r.body)).not.toMatch(INTERNAL);
    } finally {
      pg.thaw();
    }
    // The requests that held a connection finish once the database answers again.
    for (const { r } of await Promise.all(held ?? [])) {
      expect(r.status).toBe(200);
      if (r.body.errors) expect(codes(r)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    }
    await answersAgain();
    // Its retry with the same key: written once, whether the first try was or not.
    expect((await record(title)).body.errors).toBeUndefined();
    expect(await written(title)).toBe(1);
  }, 60_000);

  it('printed nothing beside the log (the driver warns through the subgraph logger)', () => {
    expect(printed.mock.calls.flat().map(String)).toEqual([]);
  });
});
