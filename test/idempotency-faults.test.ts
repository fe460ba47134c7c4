import { answeredFields } from './support/subgraph.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { startCultureProcess, type CultureProcess } from './support/culture-process.js';
import { bootStack, type Stack } from './support/stack.js';

/**
 * Issue 15 item 5 through real processes: culture runs as its own process (`node dist/…`), the
 * gateway's subgraph timeout is short. A write sent while culture is hung (SIGSTOP) times out
 * with SUBGRAPH_UNAVAILABLE, yet is applied once culture resumes (SIGCONT) — the request was
 * already in its socket. The client's retry with the same Idempotency-Key then answers that
 * first write instead of applying it again: one event, and the region rollups agree with the
 * raw rows. Without a key the same retry is a second event, which is why partners send one.
 */
const TIMEOUT_MS = 1_000;
const AUDITORIUM = 'aud-330203009205';
const RECORD = `mutation Record($input: RecordAuditoriumEventInput!) {
  recordAuditoriumEvent(input: $input) { id title attendance }
}`;
const input = (title: string, date: string) => ({
  auditoriumId: AUDITORIUM,
  date,
  title,
  type: 'DIGITAL_SKILLS_TRAINING',
  attendance: 42,
});

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

let culture: CultureProcess;
let stack: Stack;

beforeAll(async () => {
  culture = await startCultureProcess('330203');
  stack = await bootStack({
    scopes: ['330203'],
    env: { SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS) },
    subgraphUrl: (name, url) => (name === 'culture' ? `${culture.base}/graphql` : url),
  });
}, 300_000);

afterAll(async () => {
  await stack?.close();
  await culture?.stop();
});

async function count(sql: string): Promise<number> {
  const em = culture.orm.em.fork() as EntityManager;
  const [row] = (await em.getConnection().execute(sql)) as Record<string, unknown>[];
  return Number(Object.values(row)[0] ?? 0);
}

/** Raw events with this title, and whether every rollup level agrees with the raw rows. */
async function events(title: string, month: string) {
  const raw = (prefix: string) =>
    count(
      `select count(*) from auditorium_event where village_code like '${prefix}%' and date like '${month}%'`,
    );
  const rolled = (code: string) =>
    count(
      `select coalesce(sum(events), 0) from region_usage_rollup where region_code = '${code}' and month = '${month}'`,
    );
  const levels = ['33', '3302', '330203', '330203009'];
  const agree: Record<string, [number, number]> = {};
  for (const code of levels) agree[code] = [await rolled(code), await raw(code)];
  return {
    withTitle: await count(`select count(*) from auditorium_event where title = '${title}'`),
    agree,
  };
}

/** Every region level's rollup equals its raw count. */
const consistent = (agree: Record<string, [number, number]>) =>
  Object.fromEntries(Object.entries(agree).map(([code, [rolled]]) => [code, [rolled, rolled]]));

type Answer = { recordAuditoriumEvent: { id: string; title: string } | null };

/** Sends the write while culture is stopped: the gateway gives up after its timeout. */
async function sendWhileHung(vars: Record<string, unknown>, headers: Record<string, string>) {
  process.kill(culture.child.pid!, 'SIGSTOP');
  try {
    const started = performance.now();
    const res = await stack.query<Answer>(RECORD, vars, headers);
    const ms = performance.now() - started;
    expect(res.status).toBe(200);
    expect(answeredFields(res.body.data)).toEqual([]);
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    // Not "failed": the outcome is unknown, and the answer says how to settle it.
    const message = res.body.errors?.[0].message ?? '';
    expect(message).toMatch(/may or may not have been applied/);
    expect(message).toMatch(
      headers['Idempotency-Key']
        ? /Retry with the same Idempotency-Key/
        : /without an Idempotency-Key/,
    );
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS * 0.9);
  } finally {
    process.kill(culture.child.pid!, 'SIGCONT');
  }
}

describe('a write retried after a subgraph timeout', () => {
  it('is applied exactly once with the same Idempotency-Key; rollups agree with the raw rows', async () => {
    const title = '幂等重试培训';
    const vars = { input: input(title, '2021-05-11') };
    const headers = { ...stack.steward, 'Idempotency-Key': 'fault-retry-1' };
    const before = await events(title, '2021-05');
    expect(before.withTitle).toBe(0);
    await sendWhileHung(vars, headers);
    // The hung process still had the request: once resumed, it applies the write.
    expect(await until(async () => (await events(title, '2021-05')).withTitle === 1, 15_000)).toBe(
      true,
    );
    // The client retries with the same key: the first write's answer, nothing written again.
    const retry = await stack.query<Answer>(RECORD, vars, headers);
    expect(retry.body.errors).toBeUndefined();
    expect(retry.body.data?.recordAuditoriumEvent?.title).toBe(title);
    const stored = await count(
      `select count(*) from auditorium_event where id = '${retry.body.data!.recordAuditoriumEvent!.id}'`,
    );
    expect(stored).toBe(1);
    const again = await stack.query<Answer>(RECORD, vars, headers);
    expect(again.body).toEqual(retry.body);
    const after = await events(title, '2021-05');
    expect(after.withTitle).toBe(1);
    expect(after.agree).toEqual(consistent(after.agree));
    expect(after.agree['330203009'][0]).toBe(before.agree['330203009'][0] + 1);
    // Through the API too: the auditorium lists the event once.
    const listed = await stack.query<{
      auditorium: { events: { edges: { node: { title: string } }[] } };
    }>(`{ auditorium(id: "${AUDITORIUM}") { events(first: 100) { edges { node { title } } } } }`);
    expect(
      listed.body.data!.auditorium.events.edges.filter((e) => e.node.title === title),
    ).toHaveLength(1);
  }, 60_000);

  it('is applied once when the retry races the resumed first attempt', async () => {
    const title = '幂等并发重试';
    const vars = { input: input(title, '2021-06-02') };
    const headers = { ...stack.steward, 'Idempotency-Key': 'fault-retry-2' };
    const before = await events(title, '2021-06');
    await sendWhileHung(vars, headers);
    // Retried at once, while the resumed process may still be running the first attempt.
    let answer: Answer | null | undefined;
    const done = await until(async () => {
      const res = await stack.query<Answer>(RECORD, vars, headers);
      const codes = res.body.errors?.map((e) => e.extensions?.code) ?? [];
      expect(
        codes.every((c) => c === 'IDEMPOTENCY_KEY_IN_USE' || c === 'SUBGRAPH_UNAVAILABLE'),
      ).toBe(true);
      answer = res.body.data;
      return codes.length === 0;
    }, 15_000);
    expect(done).toBe(true);
    expect(answer?.recordAuditoriumEvent?.title).toBe(title);
    const after = await events(title, '2021-06');
    expect(after.withTitle).toBe(1);
    expect(after.agree).toEqual(consistent(after.agree));
    expect(after.agree['330203'][0]).toBe(before.agree['330203'][0] + 1);
  }, 60_000);

  it('is applied twice without a key (what the key prevents)', async () => {
    const title = '无键重试培训';
    const vars = { input: input(title, '2021-07-03') };
    await sendWhileHung(vars, stack.steward);
    expect(await until(async () => (await events(title, '2021-07')).withTitle === 1, 15_000)).toBe(
      true,
    );
    const retry = await stack.query<Answer>(RECORD, vars, stack.steward);
    expect(retry.body.errors).toBeUndefined();
    const after = await events(title, '2021-07');
    expect(after.withTitle).toBe(2);
    expect(after.agree).toEqual(consistent(after.agree));
  }, 60_000);
});

describe('a key refused as a whole, through the gateway', () => {
  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body, writing nothing', async () => {
    const headers = { ...stack.steward, 'Idempotency-Key': 'gateway-reused' };
    const first = await stack.query<Answer>(
      RECORD,
      { input: input('网关幂等一', '2021-08-01') },
      headers,
    );
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    const other = await stack.query<Answer>(
      RECORD,
      { input: input('网关幂等二', '2021-08-01') },
      headers,
    );
    expect(other.status).toBe(422);
    expect(answeredFields(other.body.data)).toEqual([]);
    expect(other.body.errors?.map((e) => e.extensions?.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(other.body.errors?.[0].path).toEqual(['recordAuditoriumEvent']);
    expect((await events('网关幂等二', '2021-08')).withTitle).toBe(0);
    // The first body again is a replay: 200 and the first answer.
    const replay = await stack.query<Answer>(
      RECORD,
      { input: input('网关幂等一', '2021-08-01') },
      headers,
    );
    expect(replay).toEqual(first);
  });
});
