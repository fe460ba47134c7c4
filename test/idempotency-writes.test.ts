import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../gateway/context.js';
import { DEV_GATEWAY_SHARED_SECRET, IDENTITY_HEADER, signIdentity } from '../contract/identity.js';
import { commerceSubgraph } from '../subgraphs/commerce/index.js';
import { cultureSubgraph } from '../subgraphs/culture/index.js';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { healthcareSubgraph } from '../subgraphs/healthcare/index.js';
import { BAOSHANQIAO_TOWNSHIP } from '../subgraphs/healthcare/test/fixtures.js';
import type { SubgraphDefinition } from '../subgraphs/shared/subgraph.js';
import {
  bootSubgraph,
  postGraphQL,
  type BootedSubgraph,
  answeredFields,
} from './support/subgraph.js';

/**
 * Issue 15 item 5, each domain subgraph against its own real database: a mutation sent with an
 * `Idempotency-Key` is applied once per caller and key (a repeat answers the stored first
 * result), the same key with other arguments is IDEMPOTENCY_KEY_REUSED and writes nothing, a
 * write without a key behaves as before, and a write that fails stores no key.
 *
 * `state` is what a reader would see change when the write is applied: the row count for
 * mutations that add a row, the stored values for those that replace one.
 */
interface Case {
  name: string;
  def: SubgraphDefinition<never>;
  scope: string;
  scopes: string[];
  mutation: string;
  /** Distinct valid inputs for n = 1, 2, 3, … */
  input: (n: number) => Record<string, unknown>;
  /** An input that passes argument checks but fails inside the write's transaction. */
  failing: Record<string, unknown>;
  adds: boolean;
  state: (sql: (q: string) => Promise<unknown[]>) => Promise<unknown>;
}

const CASES: Case[] = [
  {
    name: 'culture',
    def: cultureSubgraph as never,
    scope: '330203',
    scopes: ['culture:write'],
    mutation: `mutation($input: RecordAuditoriumEventInput!) { recordAuditoriumEvent(input: $input) {
      id auditoriumId date title attendance provenance { kind source } } }`,
    input: (n) => ({
      auditoriumId: 'aud-330203009205',
      date: '2021-03-08',
      title: `幂等活动 ${n}`,
      type: 'PUBLIC_SERVICE_DAY',
      attendance: 10 + n,
    }),
    failing: {
      auditoriumId: 'aud-330203999999',
      date: '2021-03-08',
      title: '无此礼堂',
      type: 'LECTURE',
      attendance: 1,
    },
    adds: true,
    state: async (sql) => [
      await sql('select count(*) as n from auditorium_event'),
      await sql('select sum(events) as n, sum(event_attendance) as a from region_usage_rollup'),
    ],
  },
  {
    name: 'healthcare',
    def: healthcareSubgraph as never,
    scope: BAOSHANQIAO_TOWNSHIP,
    scopes: ['healthcare:write'],
    mutation: `mutation($input: UpdateFacilityOpeningHoursInput!) { updateFacilityOpeningHours(input: $input) {
      id openingHours { weekday opens closes } openingHoursProvenance { kind source } } }`,
    input: (n) => ({
      facilityId: `thc-${BAOSHANQIAO_TOWNSHIP}`,
      openingHours: [{ weekday: 'MONDAY', opens: `0${n % 10}:00`, closes: '12:00' }],
      source: `Keqiao health bureau, return ${n}`,
    }),
    failing: {
      facilityId: 'thc-999999999',
      openingHours: [],
      source: 'Keqiao health bureau',
    },
    adds: false,
    state: (sql) =>
      sql(
        `select opening_hours, hours_provenance_source from facility where id = 'thc-${BAOSHANQIAO_TOWNSHIP}'`,
      ),
  },
  {
    name: 'commerce',
    def: commerceSubgraph as never,
    scope: '330203',
    scopes: ['commerce:write'],
    mutation: `mutation($input: RegisterOnlineStoreInput!) { registerOnlineStore(input: $input) {
      id name jobs village { code } } }`,
    input: (n) => ({
      name: `幂等网店 ${n}`,
      villageCode: '330203009205',
      platform: 'DOUYIN',
      category: 'TEA',
      openedOn: '2024-05-01',
      jobs: n,
    }),
    failing: {
      name: '无此企业的网店',
      villageCode: '330203009205',
      platform: 'DOUYIN',
      category: 'TEA',
      openedOn: '2024-05-01',
      jobs: 1,
      enterpriseId: 'ent-nowhere',
    },
    adds: true,
    state: async (sql) => [
      await sql('select count(*) as n from online_store'),
      await sql("select store_count, jobs from commerce_region where region_code = '330203'"),
    ],
  },
];

/** Signed identity headers of a caller, plus the key when given. */
function headers(scopes: string[], key?: string, caller = 'key:idempotency-steward') {
  return {
    [IDENTITY_HEADER]: signIdentity(
      { id: caller, kind: 'api-key', scopes } as Pick<
        Identity,
        'id' | 'kind' | 'scopes'
      > as Identity,
      DEV_GATEWAY_SHARED_SECRET,
    ),
    ...(key === undefined ? {} : { 'Idempotency-Key': key }),
  };
}

const codeOf = (body: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  body.errors?.map((e) => e.extensions?.code);

describe.each(CASES)('$name: Idempotency-Key on mutations', (c) => {
  let sub: BootedSubgraph;
  beforeAll(async () => {
    sub = await bootSubgraph(c.def as never, { scopes: [c.scope] });
  }, 120_000);
  afterAll(() => sub?.close());

  const sql = async (q: string) => {
    const em = sub.started.orm.em.fork() as EntityManager;
    // Counts and sums come back as strings on PostgreSQL, numbers on SQLite.
    const rows = (await em.getConnection().execute(q)) as Record<string, unknown>[];
    return rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)])),
    );
  };
  const state = () => c.state(sql);
  const keys = async (key: string) =>
    Number((await sql(`select count(*) as n from idempotency_key where key = '${key}'`))[0].n);
  const send = (input: Record<string, unknown>, key?: string, caller?: string) =>
    postGraphQL(sub.url, c.mutation, { input }, headers(c.scopes, key, caller));

  it('applies a keyed write once: a repeat answers the first result and writes nothing', async () => {
    const key = `${c.name}-once`;
    const first = await send(c.input(1), key);
    expect(first.body.errors).toBeUndefined();
    expect(await keys(key)).toBe(1);
    // Another write in between, so a repeated write would show (a count or a value changes).
    expect((await send(c.input(2))).body.errors).toBeUndefined();
    const between = await state();
    const again = await send(c.input(1), key);
    expect(again.body).toEqual(first.body);
    expect(await state()).toEqual(between);
    expect(await keys(key)).toBe(1);
  });

  it('refuses the same key with other arguments (IDEMPOTENCY_KEY_REUSED), writing nothing', async () => {
    const key = `${c.name}-reused`;
    expect((await send(c.input(3), key)).body.errors).toBeUndefined();
    const before = await state();
    const other = await send(c.input(4), key);
    expect(answeredFields(other.body.data)).toEqual([]);
    expect(codeOf(other.body)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(await state()).toEqual(before);
    expect(await keys(key)).toBe(1);
  });

  it('writes every time without a key, as before', async () => {
    const before = await state();
    const a = await send(c.input(5));
    const middle = await state();
    const b = await send(c.input(5));
    expect(a.body.errors).toBeUndefined();
    expect(b.body.errors).toBeUndefined();
    expect(middle).not.toEqual(before);
    if (c.adds) {
      // Two rows were added: the second answer names another record.
      expect(await state()).not.toEqual(middle);
      expect(b.body).not.toEqual(a.body);
    }
  });

  it('stores no key for a write that fails, so the key is still free', async () => {
    const key = `${c.name}-failed`;
    const before = await state();
    const failed = await send(c.failing, key);
    expect(answeredFields(failed.body.data)).toEqual([]);
    expect(codeOf(failed.body)).toEqual(['BAD_USER_INPUT']);
    expect(await keys(key)).toBe(0);
    expect(await state()).toEqual(before);
    // The same key then names a good write, which is applied.
    const ok = await send(c.input(6), key);
    expect(ok.body.errors).toBeUndefined();
    expect(await state()).not.toEqual(before);
    expect(await keys(key)).toBe(1);
  });

  it('keeps keys per caller: another caller with the same key writes its own', async () => {
    const key = `${c.name}-caller`;
    expect((await send(c.input(7), key)).body.errors).toBeUndefined();
    const before = await state();
    const other = await send(c.input(8), key, 'key:another-steward');
    expect(other.body.errors).toBeUndefined();
    expect(await state()).not.toEqual(before);
    expect(await keys(key)).toBe(2);
  });
});

describe('culture: an operation with several mutation fields under one key', () => {
  let culture: BootedSubgraph;
  beforeAll(async () => {
    culture = await bootSubgraph(cultureSubgraph as never, { scopes: ['330203'] });
  }, 120_000);
  afterAll(() => culture?.close());

  const TWO = `mutation($a: RecordAuditoriumEventInput!, $b: RecordAuditoriumEventInput!) {
    a: recordAuditoriumEvent(input: $a) { id title }
    b: recordAuditoriumEvent(input: $b) { id title } }`;
  const event = (title: string) => ({
    auditoriumId: 'aud-330203009205',
    date: '2021-04-01',
    title,
    type: 'LECTURE',
    attendance: 5,
  });
  const events = async () => {
    const em = culture.started.orm.em.fork() as EntityManager;
    const [row] = (await em
      .getConnection()
      .execute("select count(*) as n from auditorium_event where date = '2021-04-01'")) as {
      n: number | string;
    }[];
    return Number(row.n);
  };
  const send = (q: string, variables: Record<string, unknown>, key: string) =>
    postGraphQL(culture.url, q, variables, headers(['culture:write'], key));

  it('writes each field once and replays both; a different operation is refused', async () => {
    const vars = { a: event('一'), b: event('二') };
    const first = await send(TWO, vars, 'two-fields');
    expect(first.body.errors).toBeUndefined();
    expect(await events()).toBe(2);
    const again = await send(TWO, vars, 'two-fields');
    expect(again.body).toEqual(first.body);
    expect(await events()).toBe(2);
    // The same key on an operation with only one of the two fields is another request.
    const one = await send(
      'mutation($a: RecordAuditoriumEventInput!) { a: recordAuditoriumEvent(input: $a) { id } }',
      { a: vars.a },
      'two-fields',
    );
    expect(codeOf(one.body)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(await events()).toBe(2);
  });

  it('applies concurrent repeats of one keyed write once, all answering the same', async () => {
    const q =
      'mutation($a: RecordAuditoriumEventInput!) { recordAuditoriumEvent(input: $a) { id } }';
    const before = await events();
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() => send(q, { a: event('并发') }, 'concurrent')),
    );
    expect(await events()).toBe(before + 1);
    for (const a of answers) expect(a.body).toEqual(answers[0].body);
  });
});
