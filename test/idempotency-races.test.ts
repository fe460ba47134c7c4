import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cultureSubgraph } from '../subgraphs/culture/index.js';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { keyLockOf } from '../subgraphs/shared/idempotency.js';
import { ENGINE } from './support/databases.js';
import { bootStack, type Stack } from './support/stack.js';
import {
  bootSubgraph,
  postGraphQL,
  stewardHeaders,
  type BootedSubgraph,
} from './support/subgraph.js';

/**
 * One `Idempotency-Key` on two different requests at the same time. The key's rows are one per
 * response key (alias) of the operation; a request read the rows of its key, found none, and
 * inserted its own. With other aliases (`a: recordAuditoriumEvent(…)` and `b:
 * recordAuditoriumEvent(…)`, which the gateway's claim, by field names, lets through), two
 * concurrent requests inserted different rows, so neither waited for the other: both were
 * written under the one key, and the retry of the first was then refused as
 * IDEMPOTENCY_KEY_REUSED instead of answered. The first use of a key now takes turns with any
 * other use of it until its transaction ends. The writes are held inside their transactions
 * (the outbox's advisory lock, taken by every write before its change row, is held here) so that
 * both are under way at once. SQLite runs one write transaction at a time: PostgreSQL only.
 */
const OUTBOX_LOCK = 7_106_019; // subgraphs/shared/changes.ts
const event = (title: string) => ({
  auditoriumId: 'aud-330203009205',
  date: '2021-05-04',
  title,
  type: 'LECTURE',
  attendance: 7,
});
const as = (alias: string) =>
  `mutation($e: RecordAuditoriumEventInput!) { ${alias}: recordAuditoriumEvent(input: $e) { id title } }`;

describe.runIf(ENGINE === 'postgresql')('one Idempotency-Key on two requests at once', () => {
  let culture: BootedSubgraph;
  let knex: ReturnType<EntityManager['getKnex']>;
  beforeAll(async () => {
    culture = await bootSubgraph(cultureSubgraph as never, { scopes: ['330203'] });
    knex = (culture.started.orm.em.fork() as EntityManager).getKnex();
  }, 120_000);
  afterAll(() => culture?.close());

  const send = (alias: string, title: string, key: string) =>
    postGraphQL<Record<string, { id: string } | null>>(
      culture.url,
      as(alias),
      { e: event(title) },
      { ...stewardHeaders(['culture:write']), 'Idempotency-Key': key },
    );
  const written = async (titles: string[]) =>
    Number((await knex('auditorium_event').whereIn('title', titles).count({ n: '*' }))[0].n);

  it('writes one of them; the other is refused, and the retry of the first replays it', async () => {
    const key = `race-${Date.now()}`;
    const holder = await knex.transaction();
    let both;
    try {
      await holder.raw('select pg_advisory_xact_lock(?)', [OUTBOX_LOCK]);
      both = Promise.all([send('a', '甲', key), send('b', '乙', key)]);
      // Both requests are inside their transactions, waiting for a lock.
      let waiting = 0;
      for (const until = Date.now() + 4_000; waiting < 2 && Date.now() < until;) {
        await new Promise((r) => setTimeout(r, 50));
        const { rows } = await knex.raw(
          `select count(*) as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`,
        );
        waiting = Number((rows as { n: string }[])[0].n);
      }
      expect(waiting).toBe(2);
    } finally {
      await holder.commit();
    }
    const [a, b] = await both;
    const outcome = [a, b].map((r) =>
      r.body.errors ? r.body.errors.map((e) => e.extensions?.code).join() : 'written',
    );
    expect(outcome.sort()).toEqual(['IDEMPOTENCY_KEY_REUSED', 'written']);
    expect(await written(['甲', '乙'])).toBe(1);
    // The request that was written is answered again, unchanged, on its retry.
    const [alias, title, first] = a.body.errors ? ['b', '乙', b] : ['a', '甲', a];
    expect((await send(alias, title, key)).body).toEqual(first.body);
    expect(await written(['甲', '乙'])).toBe(1);
  });

  it('answers IDEMPOTENCY_KEY_IN_USE, writing nothing, when the key stays taken past the lock timeout', async () => {
    const key = `held-${Date.now()}`;
    const holder = await knex.transaction();
    let answer;
    try {
      // What a first request with the key does while it runs (the caller of stewardHeaders).
      await holder.raw('select pg_advisory_xact_lock(?, ?)', keyLockOf('key:test-steward', key));
      answer = await send('a', '丙', key);
    } finally {
      await holder.rollback();
    }
    expect(answer.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['a'], 'IDEMPOTENCY_KEY_IN_USE'],
    ]);
    expect(await written(['丙'])).toBe(0);
    // Once the key is free, the retry is written.
    expect((await send('a', '丙', key)).body.errors).toBeUndefined();
    expect(await written(['丙'])).toBe(1);
  });
});

/**
 * Through the gateway, which claims a key per caller for the mutation fields of its first
 * request (gateway/operations/key-claims.ts) and gives the claim back when that request wrote
 * nothing. A request refused IDEMPOTENCY_KEY_IN_USE wrote nothing, but another request with its
 * key (the same fields: others are refused at the claim) is still under way: giving the claim
 * back let the key then be used for another write, in another subgraph.
 */
describe.runIf(ENGINE === 'postgresql')('a key found in use, through the gateway', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await bootStack({ scopes: ['330203'] });
  }, 180_000);
  afterAll(() => stack?.close());

  it('stays claimed for its fields: another mutation field with it is refused (422)', async () => {
    const key = `in-use-${Date.now()}`;
    const headers = { ...stack.steward, 'Idempotency-Key': key };
    const knex = (stack.subgraphs.culture.started.orm.em.fork() as EntityManager).getKnex();
    const holder = await knex.transaction();
    let first;
    try {
      await holder.raw('select pg_advisory_xact_lock(?, ?)', keyLockOf(stack.stewardCaller, key));
      first = await stack.query(as('recordAuditoriumEvent'), { e: event('丁') }, headers);
    } finally {
      await holder.rollback();
    }
    expect(first.status).toBe(409);
    expect(first.body.errors?.map((e) => e.extensions?.code)).toEqual(['IDEMPOTENCY_KEY_IN_USE']);
    const store = {
      i: {
        name: '同键网店',
        villageCode: '330203009205',
        platform: 'DOUYIN',
        category: 'TEA',
        openedOn: '2024-05-01',
        jobs: 3,
      },
    };
    const other = await stack.query(
      'mutation($i: RegisterOnlineStoreInput!) { registerOnlineStore(input: $i) { id } }',
      store,
      headers,
    );
    expect(other.status).toBe(422);
    expect(other.body.errors?.map((e) => e.extensions?.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
  });

  /**
   * The claim's first request (A, an auditorium that does not exist: refused in its transaction)
   * and another with the key and the same field (B, valid) at once: B wrote, A wrote nothing and
   * gave the claim back, so the key was then taken for a write in another subgraph.
   */
  it('stays claimed when the first request wrote nothing but another with its key did', async () => {
    const key = `shared-${Date.now()}`;
    const headers = { ...stack.steward, 'Idempotency-Key': key };
    const knex = (stack.subgraphs.culture.started.orm.em.fork() as EntityManager).getKnex();
    const waiting = async (n: number) => {
      for (let i = 0; i < 200; i++) {
        const [{ c }] = (await knex('pg_locks')
          .where({ locktype: 'advisory', granted: false })
          .count({ c: '*' })) as { c: unknown }[];
        if (Number(c) >= n) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('the requests did not reach the key');
    };
    const title = `戊 ${Date.now()}`;
    const holder = await knex.transaction();
    let a, b;
    try {
      await holder.raw('select pg_advisory_xact_lock(?, ?)', keyLockOf(stack.stewardCaller, key));
      const nowhere = { ...event('己'), auditoriumId: 'aud-330203999999' };
      a = stack.query(as('recordAuditoriumEvent'), { e: nowhere }, headers);
      await waiting(1);
      b = stack.query(as('recordAuditoriumEvent'), { e: event(title) }, headers);
      await waiting(2);
    } finally {
      await holder.rollback();
    }
    const [first, second] = await Promise.all([a, b]);
    expect(first.body.data).toEqual({ recordAuditoriumEvent: null });
    expect(second.body.errors).toBeUndefined();
    expect(Number((await knex('auditorium_event').where({ title }).count({ n: '*' }))[0].n)).toBe(
      1,
    );
    const other = await stack.query(
      'mutation($i: RegisterOnlineStoreInput!) { registerOnlineStore(input: $i) { id } }',
      {
        i: {
          name: '共用键网店',
          villageCode: '330203009205',
          platform: 'DOUYIN',
          category: 'TEA',
          openedOn: '2024-05-01',
          jobs: 3,
        },
      },
      headers,
    );
    expect(other.status).toBe(422);
    expect(other.body.errors?.map((e) => e.extensions?.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
  });
});
