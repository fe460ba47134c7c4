import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_ACQUIRE_TIMEOUT_MS,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  type EntityManager,
} from '../subgraphs/shared/database.js';
import { STATEMENT_GRACE_MS } from '../subgraphs/shared/statement-timeout.js';
import {
  cultureOnPrivatePostgres,
  INTERNAL,
  PROFILE,
  READ,
  RECORD,
} from './support/database-faults.js';
import { VILLAGE, violations } from './support/fault-answers.js';
import {
  privatePostgresMissing,
  startPrivatePostgres,
  type PrivatePostgres,
} from './support/private-postgres.js';
import type { Stack } from './support/stack.js';
import { postGraphQL, stewardHeaders, type GraphQLResponse } from './support/subgraph.js';

/**
 * Culture's PostgreSQL hangs after statements were sent on its pooled connections (SIGSTOP of
 * the server, or of the one backend serving a write). The statements waited for ever: their
 * requests held the pool's ten connections for as long as the server stayed hung, and every
 * later request of the subgraph waited out DB_ACQUIRE_TIMEOUT_MS and failed. Each statement's
 * answer is now awaited at most DB_STATEMENT_TIMEOUT_MS (+ a grace), its connection closed, and
 * the request answered null with SUBGRAPH_UNAVAILABLE; a write so cut off is not applied, and
 * its retry with the same Idempotency-Key writes it once.
 */
const missing = privatePostgresMissing();
/** The longest a request may take with the server hung: a statement, then a wait for the pool. */
const BOUND =
  DEFAULT_STATEMENT_TIMEOUT_MS + STATEMENT_GRACE_MS + DEFAULT_ACQUIRE_TIMEOUT_MS + 10_000;

describe.skipIf(missing)(`statements sent to a PostgreSQL that hangs (skipped: ${missing})`, () => {
  let pg: PrivatePostgres;
  let stack: Stack;
  let culture: string;
  let baseline: unknown;
  beforeAll(async () => {
    pg = await startPrivatePostgres();
    ({ stack, culture, baseline } = await cultureOnPrivatePostgres(pg.url));
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await pg?.close();
  });

  const knex = () => (stack.subgraphs.culture.started.orm.em.fork() as EntityManager).getKnex();
  const profile = () => stack.query(PROFILE.query, PROFILE.variables);
  const codes = (r: GraphQLResponse) => [...new Set(r.body.errors?.map((e) => e.extensions?.code))];
  const written = async (title: string) => {
    const [{ n }] = await knex()('auditorium_event').where({ title }).count({ n: '*' });
    return Number(n);
  };
  /** Each of `requests`, and how long after the first was sent it was answered. */
  const timedAll = (requests: Promise<GraphQLResponse>[]) => {
    const start = Date.now();
    return requests.map((p) => p.then((r) => ({ r, ms: Date.now() - start })));
  };
  /** Settles with the answers, or with undefined once `ms` have passed without all of them. */
  const within = <T>(ms: number, work: Promise<T>) =>
    Promise.race([work, new Promise<undefined>((r) => setTimeout(r, ms))]);
  const answersAgain = async () => {
    for (const deadline = Date.now() + 20_000; ;) {
      const r = await profile();
      if (r.body.errors === undefined) return;
      if (Date.now() > deadline) throw new Error('culture did not answer again within 20 s');
      await new Promise((res) => setTimeout(res, 200));
    }
  };
  /** Opens `n` of culture's pooled connections, all at once (they stay open, idle, for 30 s). */
  const warm = (n: number) =>
    Promise.all(Array.from({ length: n }, () => knex().raw('select pg_sleep(0.3)')));
  /** The backend of culture's database waiting for a lock in a statement that names `word`. */
  const waitingBackend = async (word: string) => {
    for (const deadline = Date.now() + 4_000; Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 100));
      const { rows } = await knex().raw(
        `select pid from pg_stat_activity where datname = current_database()
          and wait_event_type = 'Lock' and query ilike ?`,
        [`%${word}%`],
      );
      const pid = (rows as { pid: number }[])[0]?.pid;
      if (pid) return pid;
    }
    throw new Error(`no statement naming ${word} waits for a lock`);
  };
  const recordDirect = (title: string) =>
    postGraphQL(
      culture,
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
      { ...stewardHeaders(['culture:write']), 'Idempotency-Key': title },
    );

  it('server hung with statements in flight: every request answered in bounded time, back after SIGCONT', async () => {
    await warm(10);
    pg.freeze();
    let answers: { r: GraphQLResponse; ms: number }[] | undefined;
    let gateway: GraphQLResponse | undefined;
    try {
      // Ten take the pool's open connections (their statements wait), two wait for one.
      const all = Promise.all(
        timedAll(Array.from({ length: 12 }, () => postGraphQL(culture, READ))),
      );
      // Through the gateway meanwhile: bounded by its subgraph timeout, the rest answered.
      gateway = await profile();
      answers = await within(BOUND, all);
    } finally {
      pg.thaw();
    }
    expect(answers, `all 12 answered within ${BOUND} ms with the server hung`).toBeDefined();
    for (const { r, ms } of answers!) {
      expect([r.status, codes(r), ms < BOUND]).toEqual([200, ['SUBGRAPH_UNAVAILABLE'], true]);
      expect(r.body.data?.auditoriums ?? null).toBeNull();
      expect(r.body.errors?.[0].message).not.toMatch(/writ/);
      expect(JSON.stringify(r.body)).not.toMatch(INTERNAL);
      expect(JSON.stringify(r.body)).not.toContain(new URL(pg.url).port);
    }
    // The statements given up on were not left on their connections for later requests.
    const timedOut = answers!.filter((a) =>
      /did not answer in time/.test(a.r.body.errors![0].message),
    );
    expect(timedOut.length).toBeGreaterThan(0);
    expect(violations(baseline, gateway!, PROFILE.query)).toEqual([]);
    expect(codes(gateway!)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    await answersAgain();
  }, 90_000);

  it('one backend hung inside a write: the write fails saying nothing was written; its retry writes once', async () => {
    const title = `hung-stmt-${Date.now()}`;
    await warm(2);
    // The write's INSERT waits for a lock held here; its backend is then stopped mid-statement
    // (its lock_timeout cannot fire while it is stopped) and the lock released.
    const holder = await knex().transaction();
    let stopped: number | undefined;
    let answer: { r: GraphQLResponse; ms: number } | undefined;
    try {
      await holder.raw('lock table auditorium_event in share mode');
      const [sent] = timedAll([recordDirect(title)]);
      stopped = await waitingBackend('insert');
      process.kill(stopped!, 'SIGSTOP');
      await holder.rollback();
      answer = await within(BOUND, sent);
    } finally {
      if (!holder.isCompleted()) await holder.rollback();
      if (stopped) process.kill(stopped, 'SIGCONT');
    }
    expect(answer, `the write answered within ${BOUND} ms`).toBeDefined();
    expect(answer!.r.body.errors?.map((e) => [e.path, e.extensions?.code, e.message])).toEqual([
      [
        ['recordAuditoriumEvent'],
        'SUBGRAPH_UNAVAILABLE',
        expect.stringMatching(/did not answer in time; nothing was written/),
      ],
    ]);
    expect(JSON.stringify(answer!.r.body)).not.toMatch(INTERNAL);
    // Continued, the backend finds its client gone and rolls the write back.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await written(title)).toBe(0);
    const retried = await recordDirect(title);
    expect(retried.body.errors).toBeUndefined();
    expect((await recordDirect(title)).body).toEqual(retried.body);
    expect(await written(title)).toBe(1);
  }, 90_000);

  it('one backend hung inside a read: its connection is closed, never handed out again', async () => {
    await warm(10);
    const holder = await knex().transaction();
    let stopped: number | undefined;
    let answer: { r: GraphQLResponse; ms: number } | undefined;
    let after: GraphQLResponse[] | undefined;
    try {
      await holder.raw('lock table auditorium in access exclusive mode');
      const [sent] = timedAll([postGraphQL(culture, READ)]);
      stopped = await waitingBackend('auditorium');
      process.kill(stopped!, 'SIGSTOP');
      await holder.rollback();
      answer = await within(BOUND, sent);
      // More reads at once than the pool has connections: none may get the stuck one.
      after = await within(
        DEFAULT_STATEMENT_TIMEOUT_MS / 2,
        Promise.all(Array.from({ length: 12 }, () => postGraphQL(culture, READ))),
      );
    } finally {
      if (!holder.isCompleted()) await holder.rollback();
      if (stopped) process.kill(stopped, 'SIGCONT');
    }
    expect(answer?.r.body.errors?.[0].message).toBe(
      'The database did not answer in time. Try again shortly.',
    );
    expect(after?.map((r) => r.body.errors)).toEqual(Array(12).fill(undefined));
  }, 90_000);

  it('server killed while hung: answered at once, back after a restart', async () => {
    await warm(4);
    pg.freeze();
    const sent = timedAll(Array.from({ length: 4 }, () => postGraphQL(culture, READ)));
    await new Promise((r) => setTimeout(r, 500));
    pg.kill();
    try {
      for (const { r } of await Promise.all(sent)) {
        expect([r.status, codes(r)]).toEqual([200, ['SUBGRAPH_UNAVAILABLE']]);
        expect(JSON.stringify(r.body)).not.toMatch(INTERNAL);
      }
    } finally {
      await pg.start();
    }
    await answersAgain();
  }, 60_000);
});
