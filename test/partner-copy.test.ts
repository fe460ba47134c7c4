import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED, readFeed, type Page } from './support/change-feed.js';
import { parseLines, post, type Line } from './support/exports.js';
import { BOOKINGS, EVENT, HOURS, REGISTER, SALES } from './support/writes.js';
import { bootStack, type Stack } from './support/stack.js';

/**
 * The partner's loop of docs/partners.md, end to end, with writes in every domain committed
 * while the export streams: position, export, then rounds of feed → re-export by code (and by
 * region for a region's change) until the feed has nothing more. The copy must then equal a
 * fresh export of the region line for line: nothing missed, nothing stale. The selection reaches
 * every kind of data the feed promises to cover, other villages' records included (an assistance
 * point's auditorium, a store's enterprise, its park's other enterprises, a nearest clinic).
 */
const REGION = '331124';
const SELECTION = `{ code name township { code name }
  culture { auditorium { id events(first: 3) { edges { node { id title } } } } }
  healthcare { access { nearestClinic { id openingHours { weekday opens closes } } }
    assistancePoints { id auditorium { id events(first: 3) { edges { node { id } } } }
      assistedBookings(first: 2) { edges { node { month total } } } } }
  commerce { storeCount jobs { count }
    stores(first: 3) { edges { node { id monthlySales(from: "2021-05", to: "2021-05") { orders }
      enterprise { ...Ent } } } }
    enterprises { ...Ent park { enterprises { ...Ent } } } }
  digitalIndex { score } }
fragment Ent on Enterprise { id years { year onlineRevenue { amount } } }`;

let stack: Stack;
let origin: string;
const knex = (name: 'culture' | 'healthcare' | 'commerce') =>
  (stack.subgraphs[name].started.orm.em as unknown as { getKnex(): Knex }).getKnex();

beforeAll(async () => {
  stack = await bootStack({ scopes: [REGION] });
  origin = `http://127.0.0.1:${stack.gateway.port}`;
}, 240_000);
afterAll(() => stack?.close());

async function feed(since: string | null, first = 100): Promise<Page> {
  const res = await stack.query<{ villageChanges: Page }>(
    FEED.replace('village { code name }', ''),
    { since, first },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.villageChanges;
}

async function exportLines(body: Record<string, unknown>): Promise<Line[]> {
  const res = await post(origin, { selection: SELECTION, ...body }, stack.steward);
  expect(res.status).toBe(200);
  const lines = parseLines(await res.text());
  expect(lines.at(-1)).toMatchObject({ done: true });
  const villages = lines.slice(0, -1);
  expect(villages.filter((l) => l.errors)).toEqual([]);
  return villages;
}

/**
 * A steward's write as the docs ask: with an Idempotency-Key, retried with it after a doubtful
 * outcome (on a loaded machine a subgraph's first write, while the export reads it, can take
 * longer than the gateway's subgraph timeout).
 */
async function write(query: string, i: Record<string, unknown>) {
  const headers = { ...stack.steward, 'idempotency-key': randomUUID() };
  const retried = new Set(['SUBGRAPH_UNAVAILABLE', 'IDEMPOTENCY_KEY_IN_USE']);
  for (let attempt = 0; ; attempt++) {
    const errors = (await stack.query(query, { i }, headers)).body.errors ?? [];
    if (errors.length === 0) return;
    expect(attempt < 5 && errors.every((e) => retried.has(String(e.extensions?.code)))).toBe(true);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** A write of each kind whose data other villages' lines show too. */
async function writesOfEveryKind(): Promise<void> {
  const [parkStore] = (await knex('commerce')('online_store as s')
    .join('enterprise as e', 'e.id', 's.enterprise_id')
    .whereNotNull('e.park_id')
    .select('s.id', 'e.id as enterprise', 'e.village_code as village')
    .orderBy('s.id')) as { id: string; enterprise: string; village: string }[];
  const elsewhere = REGION + '001201' === parkStore.village ? '331124001202' : '331124001201';
  const [helped] = (await knex('healthcare')('assistance_point')
    .whereNotNull('auditorium_id')
    .orderBy('id')) as { id: string; auditorium_id: string }[];
  const [clinic] = (await knex('healthcare')('village_access as a')
    .join('facility as f', 'f.id', 'a.nearest_clinic_id')
    .whereRaw('a.village_code <> f.village_code')
    .select('f.id')
    .orderBy('f.id')) as { id: string }[];
  await write(REGISTER, {
    name: 'Park partner store',
    villageCode: elsewhere,
    platform: 'JD',
    category: 'TEA',
    openedOn: '2021-04-01',
    jobs: 2,
    enterpriseId: parkStore.enterprise,
  });
  await write(SALES, { storeId: parkStore.id, month: '2021-05', orders: 17, revenue: '876.50' });
  await write(EVENT, {
    auditoriumId: helped.auditorium_id,
    date: '2021-05-09',
    title: 'Partner copy check',
    type: 'DIGITAL_SKILLS_TRAINING',
    attendance: 12,
  });
  await write(BOOKINGS, {
    pointId: helped.id,
    month: '2021-05',
    doctorAppointments: 3,
    testResults: 1,
    insurance: 2,
    source: 'Partner copy check',
  });
  await write(HOURS, {
    facilityId: clinic.id,
    openingHours: [{ weekday: 'MONDAY', opens: '07:30', closes: '11:00' }],
    source: 'Partner copy check',
  });
}

describe("the partner's loop with writes during the export", () => {
  it('ends with a copy equal to a fresh export, line for line', async () => {
    const position = (await feed(null)).pageInfo.endCursor;
    const [copyLines] = await Promise.all([
      exportLines({ regionCode: REGION }),
      writesOfEveryKind(),
    ]);
    const copy = new Map(copyLines.map((l) => [l.code!, l.data]));
    let since = position;
    for (let round = 0; ; round++) {
      expect(round).toBeLessThan(5);
      const { changes, end } = await readFeed((s, n) => feed(s, n), since, 100);
      if (changes.length === 0) break;
      const codes = [...new Set(changes.map((c) => c.villageCode).filter((c) => c !== null))];
      const regions = [
        ...new Set(
          (changes as { villageCode: string | null; regionCode?: string | null }[])
            .filter((c) => c.villageCode === null)
            .map((c) => c.regionCode!),
        ),
      ];
      const again = [
        ...(codes.length ? await exportLines({ codes }) : []),
        ...(await Promise.all(regions.map((r) => exportLines({ regionCode: r })))).flat(),
      ];
      for (const l of again) copy.set(l.code!, l.data);
      since = end;
    }
    const fresh = await exportLines({ regionCode: REGION });
    const stale = fresh.filter((l) => JSON.stringify(copy.get(l.code!)) !== JSON.stringify(l.data));
    expect(stale.map((l) => l.code)).toEqual([]);
    expect(copy.size).toBe(fresh.length);
  }, 180_000);
});
