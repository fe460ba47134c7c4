import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED, readFeed, type Change, type Page } from './support/change-feed.js';
import { BOOKINGS, REGISTER, USAGE } from './support/writes.js';
import { bootStack, type Stack } from './support/stack.js';

/**
 * The partners' change feed through the gateway (docs/partners.md, "Change feed"): a position
 * taken before three writes in three domains for three villages lists exactly those villages
 * with their domains; refused writes and idempotent replays add nothing; pages of one change
 * followed by their cursors give every change once; a domain that does not answer fails the
 * page instead of leaving its changes out.
 */
const AUDITORIUM_VILLAGE = '331124001200';
let stack: Stack;
let pointVillage: string;
let pointId: string;
let storeVillage: string;

beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124'] });
  const res = await stack.query<{
    region: {
      villages: {
        edges: { node: { code: string; healthcare: { assistancePoints: { id: string }[] } } }[];
      };
    };
  }>(`{ region(code: "331124") { villages(first: 100, kind: RURAL_VILLAGE) { edges { node {
      code healthcare { assistancePoints { id } } } } } } }`);
  expect(res.body.errors).toBeUndefined();
  const villages = res.body.data!.region.villages.edges.map((e) => e.node);
  const withPoint = villages.find(
    (v) => v.code !== AUDITORIUM_VILLAGE && v.healthcare.assistancePoints.length > 0,
  )!;
  pointVillage = withPoint.code;
  pointId = withPoint.healthcare.assistancePoints[0].id;
  storeVillage = villages.find(
    (v) => v.code !== AUDITORIUM_VILLAGE && v.code !== pointVillage,
  )!.code;
}, 240_000);

afterAll(async () => {
  await stack?.close();
});

async function feed(since: string | null, first?: number): Promise<Page> {
  const res = await stack.query<{ villageChanges: Page }>(FEED, { since, first });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.villageChanges;
}

const readAll = (since: string, first: number) => readFeed(feed, since, first);

describe('villageChanges', () => {
  it('lists exactly the villages written since a position, with their domains', async () => {
    const start = await feed(null);
    expect(start.nodes).toEqual([]);
    expect(start.pageInfo.hasNextPage).toBe(false);

    const key = { ...stack.steward, 'idempotency-key': `feed-${Date.now()}` };
    const writes = [
      stack.query(
        USAGE,
        {
          i: {
            auditoriumId: `aud-${AUDITORIUM_VILLAGE}`,
            month: '2021-04',
            visits: 12,
            resourceViews: 3,
            assistedSessions: {
              medicalAppointment: 1,
              socialInsurance: 0,
              eGovernment: 0,
              other: 0,
            },
          },
        },
        stack.steward,
      ),
      stack.query(
        BOOKINGS,
        {
          i: {
            pointId,
            month: '2021-04',
            doctorAppointments: 2,
            testResults: 1,
            insurance: 0,
            source: 'Feed test return',
          },
        },
        stack.steward,
      ),
    ];
    for (const w of await Promise.all(writes)) expect(w.body.errors).toBeUndefined();
    const store = {
      name: 'Change feed tea',
      villageCode: storeVillage,
      platform: 'PINDUODUO',
      category: 'TEA',
      openedOn: '2021-03-01',
      jobs: 1,
    };
    const registered = await stack.query(REGISTER, { i: store }, key);
    expect(registered.body.errors).toBeUndefined();
    // The same write again with its key: answered from the first, not written again.
    const replay = await stack.query(REGISTER, { i: store }, key);
    expect(replay.body).toEqual(registered.body);
    // Refused writes: bad input, and no credentials.
    const bad = await stack.query(
      REGISTER,
      { i: { ...store, villageCode: '999999999999' } },
      stack.steward,
    );
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const anonymous = await stack.query(REGISTER, { i: { ...store, name: 'Anonymous tea' } });
    expect(anonymous.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    // One change a page: every recorded change once, in order, nothing else.
    const single = await readAll(start.pageInfo.endCursor, 1);
    expect(single.changes.map((c) => [c.villageCode, c.domains, c.what]).sort()).toEqual(
      [
        [AUDITORIUM_VILLAGE, ['CULTURE'], ['auditoriumUsage']],
        [pointVillage, ['HEALTHCARE'], ['assistedBookings']],
        [storeVillage, ['COMMERCE'], ['onlineStore']],
      ].sort(),
    );
    expect(single.changes.at(-1)!.villageCode).toBe(storeVillage);
    // One page: the same three, with the villages as places knows them now.
    const whole = await feed(start.pageInfo.endCursor, 100);
    expect(whole.pageInfo).toEqual({ endCursor: single.end, hasNextPage: false });
    expect(whole.nodes.map((c) => c.village?.code).sort()).toEqual(
      [AUDITORIUM_VILLAGE, pointVillage, storeVillage].sort(),
    );
    expect(whole.nodes.every((c) => c.village?.name)).toBe(true);
    // Without `since`: from now on, the end the pages reached.
    expect(await feed(null)).toEqual({
      nodes: [],
      pageInfo: { endCursor: single.end, hasNextPage: false },
    });
    // A second write to a village already listed comes after the position, merged in a page.
    const again = await stack.query(
      BOOKINGS,
      {
        i: {
          pointId,
          month: '2021-05',
          doctorAppointments: 1,
          testResults: 0,
          insurance: 0,
          source: 'Feed test return',
        },
      },
      stack.steward,
    );
    expect(again.body.errors).toBeUndefined();
    const after = await feed(single.end);
    expect(after.nodes.map((c) => [c.villageCode, c.domains])).toEqual([
      [pointVillage, ['HEALTHCARE']],
    ]);
  });

  it("runs the partner's loop: export, then re-export only what the feed lists", async () => {
    const origin = `http://127.0.0.1:${stack.gateway.port}`;
    const exportOf = async (body: Record<string, unknown>) => {
      const res = await fetch(`${origin}/exports/villages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'accept-encoding': 'identity',
          ...stack.steward,
        },
        body: JSON.stringify({ selection: '{ code commerce { storeCount } }', ...body }),
      });
      expect(res.status).toBe(200);
      const lines = (await res.text())
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      expect(lines.at(-1)).toMatchObject({ done: true });
      return new Map(
        lines.filter((l) => l.data).map((l) => [l.code, l.data.commerce.storeCount as number]),
      );
    };
    // 1. The position first, then the copy.
    const position = (await feed(null)).pageInfo.endCursor;
    const copy = await exportOf({ regionCode: '331124' });
    expect(copy.size).toBeGreaterThan(100);
    // Meanwhile, a write.
    const store = {
      name: 'Partner loop tea',
      villageCode: storeVillage,
      platform: 'PINDUODUO',
      category: 'TEA',
      openedOn: '2021-06-01',
      jobs: 1,
    };
    expect((await stack.query(REGISTER, { i: store }, stack.steward)).body.errors).toBeUndefined();
    // 2. The feed from that position, 3. those villages again, by code.
    const { changes, end } = await readAll(position, 100);
    const codes = [...new Set(changes.map((c) => c.villageCode).filter(Boolean))] as string[];
    expect(codes).toEqual([storeVillage]);
    const fresh = await exportOf({ codes });
    expect([...fresh.keys()]).toEqual([storeVillage]);
    expect(fresh.get(storeVillage)).toBe(copy.get(storeVillage)! + 1);
    // Nothing more until the next write.
    expect((await feed(end)).nodes).toEqual([]);
  });

  it('gives every change once to a reader that follows it while writes commit concurrently', async () => {
    const position = (await feed(null)).pageInfo.endCursor;
    const usage = (month: string) => ({
      auditoriumId: `aud-${AUDITORIUM_VILLAGE}`,
      month,
      visits: 5,
      resourceViews: 1,
      assistedSessions: { medicalAppointment: 0, socialInsurance: 0, eGovernment: 0, other: 0 },
    });
    const bookings = (month: string) => ({
      pointId,
      month,
      doctorAppointments: 1,
      testResults: 0,
      insurance: 0,
      source: 'Feed test return',
    });
    const months = Array.from({ length: 12 }, (_, i) => `2019-${String(i + 1).padStart(2, '0')}`);
    let writing = true;
    const writes = Promise.all(
      months.flatMap((m) => [
        stack.query(USAGE, { i: usage(m) }, stack.steward),
        stack.query(BOOKINGS, { i: bookings(m) }, stack.steward),
      ]),
    ).finally(() => (writing = false));
    // A reader one change at a time, while the writes commit in whatever order they do.
    const seen: Change[] = [];
    let cursor = position;
    while (writing) {
      const page = await feed(cursor, 1);
      seen.push(...page.nodes);
      cursor = page.pageInfo.endCursor;
    }
    for (const w of await writes) expect(w.body.errors).toBeUndefined();
    const rest = await readAll(cursor, 1);
    seen.push(...rest.changes);
    const count = (domain: string) => seen.filter((c) => c.domains[0] === domain).length;
    expect(seen.every((c) => c.domains.length === 1)).toBe(true);
    expect([count('CULTURE'), count('HEALTHCARE'), seen.length]).toEqual([12, 12, 24]);
  });

  it('refuses a cursor it did not hand out and an out-of-range page size', async () => {
    const end = (await feed(null)).pageInfo.endCursor;
    const [culture, ...rest] = Buffer.from(end.slice(3), 'base64url').toString().split('.');
    // Ahead of where culture's outbox ends: read, it would skip culture's next 50 changes.
    const ahead =
      'v1.' + Buffer.from([Number(culture) + 50, ...rest].join('.')).toString('base64url');
    for (const since of [
      'nope',
      'v1.' + Buffer.from('1.2').toString('base64url'),
      'v1.%%%',
      ahead,
      `${end}==`,
    ]) {
      const res = await stack.query(FEED, { since });
      expect(res.status).toBeLessThan(500);
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
    const big = await stack.query(FEED, { since: null, first: 5000 });
    expect(big.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('is never cacheable: a poll must see the writes of every domain at once', async () => {
    const res = await fetch(`http://127.0.0.1:${stack.gateway.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: FEED, variables: { since: null } }),
    });
    expect(res.status).toBe(200);
    // It was max-age=3600: answers kept by caches (the gateway's too) hid new changes.
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('is not reachable for the outboxes themselves through the gateway', async () => {
    const res = await stack.query('{ _outbox(after: 0, first: 10) { end } }');
    expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // Nor directly at a domain subgraph without the service identity.
    const direct = await stack.subgraphs.commerce.query('{ _outbox(after: 0, first: 10) { end } }');
    expect(direct.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('fails the page, never leaving a domain out, when a domain does not answer', async () => {
    const start = await feed(null);
    await stack.subgraphs.commerce.started.server.close();
    const res = await stack.query(FEED, { since: start.pageInfo.endCursor });
    expect(res.status).toBeLessThan(500);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|commerce|_outbox/);
  });
});
