import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { startFaultProxy, type FaultProxy } from './support/faults.js';
import { startCultureProcess, type CultureProcess } from './support/culture-process.js';
import { bootStack, type ExtraGateway, type Stack } from './support/stack.js';

/**
 * A write whose fetch timed out has an unknown outcome: the fault proxy holds it before culture
 * (as a subgraph hung with the write in its socket, test/idempotency-faults.test.ts), the gateway
 * gives up after its timeout, and culture commits it once it is let go. A query culture answers
 * in between reads the state from before the commit; the response cache must not keep that
 * answer past the commit (the culture hint is 60 s).
 */
const TIMEOUT_MS = 1_000;
const AUDITORIUM = 'aud-330203009205';
const RECORD = `mutation Record($input: RecordAuditoriumEventInput!) {
  recordAuditoriumEvent(input: $input) { id }
}`;
type Events = Record<string, { events: { edges: { node: { title: string } }[] } } | null>;

let culture: CultureProcess;
let stack: Stack;
let redisGateway: ExtraGateway;
let proxy: FaultProxy;

beforeAll(async () => {
  culture = await startCultureProcess('330203');
  proxy = await startFaultProxy(`${culture.base}/graphql`);
  const env = { SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS), RESPONSE_CACHE: 'memory' };
  stack = await bootStack({
    scopes: ['330203'],
    env,
    subgraphUrl: (name, url) => (name === 'culture' ? proxy.url : url),
  });
  redisGateway = await stack.extraGateway({
    ...env,
    RESPONSE_CACHE: 'redis',
    REDIS_URL: 'redis://127.0.0.1:6379',
    KEY_STORE: 'file',
  });
}, 300_000);

afterAll(async () => {
  await redisGateway?.close();
  await stack?.close();
  await proxy?.close();
  await culture?.stop();
});

async function stored(title: string): Promise<number> {
  const em = culture.orm.em.fork() as EntityManager;
  const [row] = (await em
    .getConnection()
    .execute(`select count(*) as n from auditorium_event where title = '${title}'`)) as {
    n: unknown;
  }[];
  return Number(row.n);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(['memory', 'redis'] as const)('a timed-out write, with the cache in %s', (mode) => {
  it('is seen by the first query after it commits, not the answer cached before', async () => {
    const query = mode === 'memory' ? stack.query : redisGateway.query;
    const tag = `t${mode}${Math.random().toString(36).slice(2, 8)}`;
    const title = `未知结果写入${tag}`;
    const q = `{ ${tag}: auditorium(id: "${AUDITORIUM}") { events(first: 100) { edges { node { title } } } } }`;
    const titles = async () => {
      const res = await query<Events>(q);
      expect(res.body.errors).toBeUndefined();
      return res.body.data![tag]!.events.edges.map((e) => e.node.title);
    };
    expect(await titles()).not.toContain(title);
    proxy.mode = 'holdWrites';
    let between: string[];
    try {
      const write = await query(
        RECORD,
        {
          input: {
            auditoriumId: AUDITORIUM,
            date: '2021-06-12',
            title,
            type: 'DIGITAL_SKILLS_TRAINING',
            attendance: 7,
          },
        },
        stack.steward,
      );
      expect(write.body.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      // A query culture answers while the write waits: it reads from before the commit.
      between = await titles();
    } finally {
      proxy.mode = 'pass';
      for (const release of proxy.held.splice(0)) release();
    }
    expect(between).not.toContain(title);
    for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
      if ((await stored(title)) === 1) break;
      await pause(100);
    }
    expect(await stored(title)).toBe(1);
    // Committed: every answer from now on lists the event.
    expect(await titles()).toContain(title);
    expect(await titles()).toContain(title);
  }, 60_000);
});
