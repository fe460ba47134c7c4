import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSchemaOf, readSupergraph } from '../scripts/api-schema.js';
import { TEST_POSTGRES_URL } from './support/databases.js';
import { parityDocuments, parityWalks } from './support/parity-documents.js';
import { randomOperation } from './support/random-documents.js';
import { bootStack, type Stack } from './support/stack.js';
import type { GraphQLResponse } from './support/subgraph.js';

/**
 * SQLite (the embedded default) and PostgreSQL (production) give the same answers: the same
 * county seeded into a stack on each, the same documents sent to both gateways — figures over
 * month ranges, rankings with ties, shares, money, the digital index, text filters, connections
 * walked with cursors, seeded random documents — and the same writes (Idempotency-Key replays
 * included) stored and read back alike. Both engines are needed: it runs in the PostgreSQL pass
 * of CI (TEST_POSTGRES_URL) and is skipped in the SQLite pass.
 *
 * PARITY_QUERIES (default 40) and PARITY_SEED change the random part of a run.
 */
const COUNT = Number(process.env.PARITY_QUERIES ?? 40);
const SEED = Number(process.env.PARITY_SEED ?? 47_001);
const COUNTY = '331124';
const TOWNSHIP = '331124001';
const VILLAGE = '331124001200';
const LIMITS = { MAX_COST: '10000000', MAX_ALIASES: '200', PLAN_TIMEOUT_MS: '30000' };

let sqlite: Stack;
let postgres: Stack;

/** The answer with what differs by design left out: error messages' order, generated ids. */
function canonical(r: GraphQLResponse, ids = new Map<string, string>()): unknown {
  const errors = (r.body.errors ?? []).map((e) => `${e.extensions?.code} ${e.path?.join('.')}`);
  // Ids made by writes are random (store-<hex>, evt-<uuid>): named by order of appearance.
  const text = JSON.stringify(r.body.data ?? null).replace(
    /store-[0-9a-f]{32}|evt-[0-9a-f-]{36}/g,
    (id) => ids.get(id) ?? (ids.set(id, `new#${ids.size}`), `new#${ids.size - 1}`),
  );
  return { status: r.status, errors: errors.sort(), data: JSON.parse(text) };
}

async function both(q: string, variables?: Record<string, unknown>) {
  const [a, b] = await Promise.all([sqlite.query(q, variables), postgres.query(q, variables)]);
  return { sqlite: canonical(a), postgres: canonical(b), raw: a };
}

describe.skipIf(!TEST_POSTGRES_URL)('SQLite and PostgreSQL answer alike', () => {
  beforeAll(async () => {
    [sqlite, postgres] = await Promise.all([
      bootStack({ scopes: [COUNTY], env: LIMITS, engine: 'sqlite' }),
      bootStack({ scopes: [COUNTY], env: LIMITS, engine: 'postgresql' }),
    ]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([sqlite?.close(), postgres?.close()]);
  });

  it('answers figures, rankings, shares, money and text filters alike', async () => {
    const docs = parityDocuments(COUNTY, TOWNSHIP, VILLAGE);
    let answered = 0;
    for (const [name, q] of docs) {
      const r = await both(q);
      expect(r.postgres, name).toEqual(r.sqlite);
      if ((r.sqlite as { errors: unknown[] }).errors.length === 0) answered++;
    }
    // The documents are valid and answered: a comparison of two error lists proves nothing.
    expect(answered).toBe(docs.length);
  });

  it('walks connections page by page with the same cursors', async () => {
    for (const [name, field] of parityWalks(COUNTY)) {
      for (const n of [1, 7, 40]) {
        const pages: Record<string, unknown[]> = { sqlite: [], postgres: [] };
        let after: string | null = null;
        for (let page = 0; page < 25; page++) {
          const r = await both(
            `query ($n: Int, $a: String) { x: ${field} {
              edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
            { n, a: after },
          );
          pages.sqlite.push(r.sqlite);
          pages.postgres.push(r.postgres);
          const x = (r.raw.body.data as { x?: { pageInfo: Record<string, unknown> } } | null)?.x;
          if (!x?.pageInfo.hasNextPage) break;
          after = x.pageInfo.endCursor as string;
        }
        expect(pages.postgres, `${name} by ${n}`).toEqual(pages.sqlite);
        expect(pages.sqlite.length, `${name} by ${n}`).toBeGreaterThan(n === 40 ? 0 : 1);
      }
    }
  });

  it(`answers ${COUNT} seeded random documents alike`, async () => {
    const schema = apiSchemaOf(readSupergraph());
    const differences: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const op = randomOperation(schema, SEED + i, {
        maxDepth: 4,
        maxWidth: 8,
        maxPageSize: 40,
        // Months the seeded data holds, so that sums over ranges are not all zero.
        value: (arg, r) =>
          arg.name === 'month'
            ? `202${r.int(0, 1)}-${String(r.int(1, 12)).padStart(2, '0')}`
            : arg.name === 'from'
              ? r.pick(['2019-01', '2020-01', '2020-06'])
              : arg.name === 'to'
                ? r.pick(['2020-12', '2021-06', '2021-12'])
                : undefined,
      });
      const r = await both(op.query, op.variables);
      if (JSON.stringify(r.postgres) !== JSON.stringify(r.sqlite))
        differences.push(`seed ${SEED + i}:\n${op.query}`);
    }
    expect(differences).toEqual([]);
  }, 180_000);

  it('stores the same writes alike and reads them back alike, replays included', async () => {
    const pre = await sqlite.query<{
      village: { healthcare: { assistancePoints: { id: string }[] } };
    }>(`{ village(code: "${VILLAGE}") { healthcare { assistancePoints { id } } } }`);
    const point = pre.body.data!.village.healthcare.assistancePoints[0].id;
    const answers: Record<'sqlite' | 'postgres', unknown[]> = { sqlite: [], postgres: [] };
    for (const [engine, stack] of [
      ['sqlite', sqlite],
      ['postgres', postgres],
    ] as const) {
      const ids = new Map<string, string>();
      // Each write twice with its key: the second is a replay of the first's answer.
      const send = async (q: string, input: Record<string, unknown>, key: string) => {
        const headers = { ...stack.steward, 'idempotency-key': key };
        const first = await stack.query(q, { i: input }, headers);
        const replay = await stack.query(q, { i: input }, headers);
        answers[engine].push(canonical(first, ids), canonical(replay, ids));
        return first.body.data;
      };
      const store = (await send(
        `mutation($i: RegisterOnlineStoreInput!) { registerOnlineStore(input: $i) {
          id name openedOn status jobs ${'provenance { kind source asOf note }'} } }`,
        {
          name: 'Ünïcode Mixed 茶',
          villageCode: VILLAGE,
          platform: 'JD',
          category: 'TEA',
          openedOn: '2020-02-29',
          jobs: 7,
          source: 'County Bureau',
        },
        'parity-store',
      )) as { registerOnlineStore: { id: string } };
      const storeId = store.registerOnlineStore.id;
      for (const [i, revenue] of ['0.10', '0.20', '99999.99', '0', '7'].entries()) {
        await send(
          `mutation($i: ReportStoreSalesInput!) { reportStoreSales(input: $i) {
            storeId month orders revenue { amount currency } provenance { kind source asOf } } }`,
          { storeId, month: `2021-0${i + 1}`, orders: i * 3, revenue, source: 'Steward' },
          `parity-sales-${i}`,
        );
      }
      for (const [i, date] of ['2020-02-29', '2019-12-31', '2020-03-01'].entries()) {
        await send(
          `mutation($i: RecordAuditoriumEventInput!) { recordAuditoriumEvent(input: $i) {
            id date title type attendance provenance { kind source asOf } } }`,
          {
            auditoriumId: `aud-${VILLAGE}`,
            date,
            title: `Évènement ${i}`,
            type: 'LECTURE',
            attendance: 40 + i,
          },
          `parity-event-${i}`,
        );
      }
      await send(
        `mutation($i: ReportAuditoriumUsageInput!) { reportAuditoriumUsage(input: $i) {
          month visits resourceViews assistedSessions { total other } provenance { kind asOf } } }`,
        {
          auditoriumId: `aud-${VILLAGE}`,
          month: '2020-02',
          visits: 1_000_000,
          resourceViews: 3,
          assistedSessions: { medicalAppointment: 1, socialInsurance: 2, eGovernment: 0, other: 5 },
        },
        'parity-usage',
      );
      await send(
        `mutation($i: ReportAssistedBookingsInput!) { reportAssistedBookings(input: $i) {
          month doctorAppointments total provenance { kind source asOf } } }`,
        {
          pointId: point,
          month: '2021-03',
          doctorAppointments: 9,
          testResults: 2,
          insurance: 1,
          source: 'Clinic',
        },
        'parity-bookings',
      );
      const read = await stack.query(
        `{ onlineStore(id: "${storeId}") { name openedOn jobs
            monthlySales(from: "2021-01", to: "2021-12") { month orders revenue { amount } } }
          village(code: "${VILLAGE}") {
            commerce { storeCount jobs { count } onlineSales(from: "2021-01", to: "2021-06") {
              orders revenue { amount } months { month orders revenue { amount } } } }
            culture { auditorium { events(first: 6) { edges { node { id date title attendance } } }
              usage(from: "2020-01", to: "2020-03") { month visits assistedSessions { total } } } } }
          region(code: "${TOWNSHIP}") {
            culture { usage(from: "2020-02", to: "2020-02") { visits events eventAttendance } }
            healthcare { assistedBookings(from: "2021-03", to: "2021-03") { total } } }
          county: region(code: "${COUNTY}") { commerce {
            childRanking(by: ONLINE_REVENUE, from: "2021-01", to: "2021-06") { rank region { code } revenue { amount } }
            byJobs: childRanking(by: JOBS) { rank region { code } count } } } }`,
      );
      answers[engine].push(canonical(read, ids));
    }
    expect(answers.postgres).toEqual(answers.sqlite);
    // The writes were taken: a comparison of two refusals proves nothing.
    expect(JSON.stringify(answers.sqlite)).not.toMatch(/BAD_USER_INPUT|INTERNAL/);
  }, 120_000);
});
