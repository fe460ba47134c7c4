import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../../../test/support/databases.js';
import {
  bootSubgraph,
  type BootedSubgraph,
  answeredFields,
} from '../../../test/support/subgraph.js';
import type { EntityManager } from '../../shared/database.js';
import { healthcareSubgraph } from '../index.js';
import { MAX_BOOKINGS_TOTAL, rebuildBookingRollups } from '../rollup/rollup.rebuild.js';

/**
 * Assisted bookings are answered as GraphQL Int: reports that would take a province's bookings
 * over 120 months past its range are refused (nothing written), reads of the largest totals
 * stay exact, and on PostgreSQL the rollup sums are 64-bit.
 */
const SONGYANG = '331124';
const MONTHS = Array.from(
  { length: 24 },
  (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
);
const MAX = 1_000_000;

let healthcare: BootedSubgraph;
beforeAll(async () => {
  healthcare = await bootSubgraph(healthcareSubgraph as never, { scopes: [SONGYANG] });
}, 120_000);
afterAll(() => healthcare?.close());

const knex = () => (healthcare.started.orm.em.fork() as EntityManager).getKnex();

const REPORT = `mutation($input: ReportAssistedBookingsInput!) {
  reportAssistedBookings(input: $input) { total } }`;
const report = (pointId: string, month: string, n: number) =>
  healthcare.write(REPORT, {
    input: {
      pointId,
      month,
      doctorAppointments: n,
      testResults: n,
      insurance: n,
      source: 'Songyang county health bureau return',
    },
  });

const BOOKINGS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region {
  healthcare { assistedBookings(from: "2020-01", to: "2029-12") {
    doctorAppointments testResults insurance total months { month total } } } } } }`;

async function provinceBookings() {
  const res = await healthcare.query<{
    _entities: { healthcare: { assistedBookings: Record<string, unknown> } }[];
  }>(BOOKINGS, { r: [{ __typename: 'Region', code: '33' }] });
  return res.body;
}

/** Raw rows of both booking tables, sorted, to compare before and after a refused write. */
async function bookingRows() {
  const k = knex();
  return {
    months: await k('assisted_booking_month').select('*').orderBy(['point_id', 'month']),
    rollups: await k('region_booking_rollup').select('*').orderBy(['region_code', 'month']),
  };
}

describe('assisted-booking totals stay within GraphQL Int', () => {
  it('refuses the report that would pass the bound, keeps the data, and reads stay exact', async () => {
    const points = (
      (await knex()('assistance_point')
        .select('id')
        .where('village_code', 'like', `${SONGYANG}%`)
        .orderBy('id')) as { id: string }[]
    ).map((p) => p.id);
    const slots = points.flatMap((id) => MONTHS.map((month) => [id, month] as const));
    // 3,000,000 bookings per report: the bound is reached within ~716 reports.
    expect(slots.length).toBeGreaterThan(Math.ceil(MAX_BOOKINGS_TOTAL / (3 * MAX)) + 1);

    let refusedAt = -1;
    // Below this many reports the bound cannot be reached: no need to snapshot the tables.
    const safe = Math.floor(MAX_BOOKINGS_TOTAL / (3 * MAX)) - 5;
    for (let i = 0; i < slots.length; i++) {
      const [pointId, month] = slots[i];
      const before = i >= safe ? await bookingRows() : null;
      const res = await report(pointId, month, MAX);
      if (res.body.errors) {
        expect(answeredFields(res.body.data)).toEqual([]);
        expect(res.body.errors.map((e) => e.extensions)).toEqual([
          { code: 'BAD_USER_INPUT', field: 'input.doctorAppointments' },
        ]);
        expect(await bookingRows()).toEqual(before);
        refusedAt = i;
        break;
      }
      expect(res.body.data).toEqual({ reportAssistedBookings: { total: 3 * MAX } });
    }
    expect(refusedAt).toBeGreaterThanOrEqual(safe);

    // The largest totals read without error and equal the raw rows.
    const body = await provinceBookings();
    expect(body.errors).toBeUndefined();
    const answered = body.data!._entities[0].healthcare.assistedBookings as {
      total: number;
      doctorAppointments: number;
    };
    const [raw] = (await knex()('assisted_booking_month')
      .where('village_code', 'like', '33%')
      .select(
        knex().raw('sum(doctor_appointments + test_results + insurance) as total'),
        knex().raw('sum(doctor_appointments) as doctor'),
      )) as { total: number | string; doctor: number | string }[];
    expect(answered.total).toBe(Number(raw.total));
    expect(answered.doctorAppointments).toBe(Number(raw.doctor));
    expect(answered.total).toBeGreaterThan(MAX_BOOKINGS_TOTAL - 3 * MAX);
    expect(answered.total).toBeLessThanOrEqual(MAX_BOOKINGS_TOTAL);

    // A report that lowers the figures is taken, and then the refused one fits again.
    const [firstPoint, firstMonth] = slots[0];
    expect((await report(firstPoint, firstMonth, 0)).body.errors).toBeUndefined();
    const [pointId, month] = slots[refusedAt];
    expect((await report(pointId, month, MAX)).body.errors).toBeUndefined();
    expect((await provinceBookings()).errors).toBeUndefined();
  }, 600_000);

  it('keeps the rollup, report by report, equal to one rebuilt from the monthly rows', async () => {
    // After the reports above (new point-months, synthetic ones replaced, reported ones
    // replaced, one lowered to 0): what each report added equals what a rebuild counts.
    const point = (await knex()('assistance_point')
      .select('id')
      .where('village_code', 'like', `${SONGYANG}%`)
      .orderBy('id', 'desc')
      .first()) as { id: string };
    expect((await report(point.id, '2025-07', 5)).body.errors).toBeUndefined();
    const kept = (await bookingRows()).rollups;
    // Rebuilt in a transaction that is then rolled back: the table is left as the reports left it.
    let rebuilt: unknown[] = [];
    const rollBack = new Error('roll back');
    await knex()
      .transaction(async (trx) => {
        await rebuildBookingRollups(trx);
        rebuilt = await trx('region_booking_rollup').select('*').orderBy(['region_code', 'month']);
        throw rollBack;
      })
      .catch((err: unknown) => {
        if (err !== rollBack) throw err;
      });
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(rebuilt);
  });

  it.runIf(ENGINE === 'postgresql')('keeps the rollup sums 64-bit on PostgreSQL', async () => {
    const columns = (await knex()('information_schema.columns')
      .select('column_name', 'data_type')
      .where({ table_schema: knex().raw('current_schema()'), table_name: 'region_booking_rollup' })
      .whereIn('column_name', ['doctor_appointments', 'test_results', 'insurance'])
      .orderBy('column_name')) as { column_name: string; data_type: string }[];
    expect(columns).toEqual([
      { column_name: 'doctor_appointments', data_type: 'bigint' },
      { column_name: 'insurance', data_type: 'bigint' },
      { column_name: 'test_results', data_type: 'bigint' },
    ]);
  });
});
