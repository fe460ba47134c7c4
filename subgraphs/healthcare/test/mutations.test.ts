import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutAsyncContext } from '../../../test/support/async-context.js';
import {
  bootSubgraph,
  type BootedSubgraph,
  answeredFields,
} from '../../../test/support/subgraph.js';
import { healthcareSubgraph } from '../index.js';
import { BAOSHANQIAO_CODE } from '../seed/baoshanqiao.js';
import type { EntityManager } from '../../shared/database.js';
import { BAOSHANQIAO_TOWNSHIP } from './fixtures.js';

let healthcare: BootedSubgraph;
beforeAll(async () => {
  healthcare = await bootSubgraph(healthcareSubgraph as never, { scopes: [BAOSHANQIAO_TOWNSHIP] });
});
afterAll(() => healthcare?.close());

const POINT = `ap-aud-${BAOSHANQIAO_CODE}`;
const REPORT = `mutation($input: ReportAssistedBookingsInput!) { reportAssistedBookings(input: $input) {
  pointId month doctorAppointments testResults insurance total provenance { kind source asOf } } }`;
// Every write here checks that it ran no AsyncLocalStorage (subgraphs/shared/transaction.ts).
const report = (input: Record<string, unknown>) =>
  withoutAsyncContext(() =>
    healthcare.write(REPORT, {
      input: {
        pointId: POINT,
        month: '2022-03',
        doctorAppointments: 40,
        testResults: 12,
        insurance: 5,
        source: '马鞍街道社区卫生服务中心 monthly return',
        ...input,
      },
    }),
  );

/** What a reader sees: the point's month and the region figures of every enclosing level. */
async function snapshot(month: string) {
  const res = await healthcare.query(
    `query($r: [_Any!]!) {
      assistancePoint(id: "${POINT}") { assistedBookings(from: "${month}", to: "${month}") {
        edges { node { month total provenance { kind } } } } }
      _entities(representations: $r) { ... on Region { code healthcare {
        assistedBookings(from: "${month}", to: "${month}") { total months { reportingPoints }
          provenance { kind note } } } } } }`,
    {
      r: ['33', '3306', '330603', BAOSHANQIAO_TOWNSHIP].map((code) => ({
        __typename: 'Region',
        code,
      })),
    },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
}

describe('reportAssistedBookings', () => {
  it('records a month, replaces it on a repeated report, and updates every enclosing rollup', async () => {
    const first = await report({});
    expect(first.body).toEqual({
      data: {
        reportAssistedBookings: {
          pointId: POINT,
          month: '2022-03',
          doctorAppointments: 40,
          testResults: 12,
          insurance: 5,
          total: 57,
          provenance: {
            kind: 'REPORTED',
            source: '马鞍街道社区卫生服务中心 monthly return',
            asOf: '2022-03',
          },
        },
      },
    });
    const again = await report({ doctorAppointments: 30, testResults: 0, insurance: 1 });
    expect(again.body.data).toMatchObject({ reportAssistedBookings: { total: 31 } });
    const regionTotals = {
      total: 31,
      months: [{ reportingPoints: 1 }],
      provenance: { kind: 'REPORTED', note: 'Sum of reported monthly counts.' },
    };
    expect(await snapshot('2022-03')).toEqual({
      assistancePoint: {
        assistedBookings: {
          edges: [{ node: { month: '2022-03', total: 31, provenance: { kind: 'REPORTED' } } }],
        },
      },
      _entities: ['33', '3306', '330603', BAOSHANQIAO_TOWNSHIP].map((code) => ({
        code,
        healthcare: { assistedBookings: regionTotals },
      })),
    });
  });

  it('rejects bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const before = await snapshot('2021-06');
    const cases: [Record<string, unknown>, string][] = [
      [{ month: '2021-06', doctorAppointments: -1 }, 'input.doctorAppointments'],
      [{ month: '2021-06', insurance: 1.5 }, 'input.insurance'],
      [{ month: '2099-01' }, 'input.month'],
      [{ month: '2021-6' }, 'input.month'],
      [{ month: '2021-06', pointId: 'ap-aud-000000000000' }, 'input.pointId'],
      [{ month: '2021-06', source: '  ' }, 'input.source'],
    ];
    for (const [input, field] of cases) {
      const res = await report(input);
      if (field === 'input.insurance') {
        // A non-integer never reaches the resolver: GraphQL's Int rejects it.
        expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
        continue;
      }
      expect(res.body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
      expect(answeredFields(res.body.data)).toEqual([]);
    }
    expect(await snapshot('2021-06')).toEqual(before);
  });

  it('takes reports of several points of one township and month at once, each counted once', async () => {
    const knex = (healthcare.started.orm.em.fork() as EntityManager).getKnex();
    const points = (await knex('assistance_point')
      .select('id')
      .where('village_code', 'like', `${BAOSHANQIAO_TOWNSHIP}%`)
      .orderBy('id')
      .limit(6)) as { id: string }[];
    expect(points.length).toBeGreaterThan(2);
    const month = '2021-11';
    // On PostgreSQL these rebuilt the same rollup rows at once: some failed on a duplicate key.
    const answers = await Promise.all(
      points.map((p) =>
        report({ pointId: p.id, month, doctorAppointments: 1, testResults: 0, insurance: 0 }),
      ),
    );
    expect(answers.flatMap((a) => a.body.errors ?? [])).toEqual([]);
    const rows = (await knex('assisted_booking_month')
      .where({ month })
      .andWhere('village_code', 'like', '33%')
      .sum({ s: 'doctor_appointments' })) as { s: number | string }[];
    const [rollup] = (await knex('region_booking_rollup').where({ region_code: '33', month })) as {
      doctor_appointments: number | string;
    }[];
    expect(Number(rollup.doctor_appointments)).toBe(Number(rows[0].s));
  });
});

const HOURS = `mutation($input: UpdateFacilityOpeningHoursInput!) { updateFacilityOpeningHours(input: $input) {
  id openingHours { weekday opens closes } openingHoursProvenance { kind source } } }`;

describe('updateFacilityOpeningHours', () => {
  const facilityId = `thc-${BAOSHANQIAO_TOWNSHIP}`;
  const update = (openingHours: unknown[], id = facilityId) =>
    withoutAsyncContext(() =>
      healthcare.write(HOURS, {
        input: { facilityId: id, openingHours, source: 'Keqiao health bureau' },
      }),
    );

  it('replaces the week, sorted, with the steward as provenance', async () => {
    const res = await update([
      { weekday: 'SATURDAY', opens: '08:00', closes: '12:00' },
      { weekday: 'MONDAY', opens: '13:30', closes: '24:00' },
      { weekday: 'MONDAY', opens: '07:30', closes: '11:30' },
    ]);
    expect(res.body).toEqual({
      data: {
        updateFacilityOpeningHours: {
          id: facilityId,
          openingHours: [
            { weekday: 'MONDAY', opens: '07:30', closes: '11:30' },
            { weekday: 'MONDAY', opens: '13:30', closes: '24:00' },
            { weekday: 'SATURDAY', opens: '08:00', closes: '12:00' },
          ],
          openingHoursProvenance: { kind: 'REPORTED', source: 'Keqiao health bureau' },
        },
      },
    });
    // A reseed keeps what a steward reported.
    const reported = await healthcare.query(
      `{ facility(id: "${facilityId}") { openingHours { weekday } openingHoursProvenance { kind } } }`,
    );
    await healthcareSubgraph.seed(healthcare.started.orm, { scope: BAOSHANQIAO_TOWNSHIP, seed: 1 });
    const after = await healthcare.query(
      `{ facility(id: "${facilityId}") { openingHours { weekday } openingHoursProvenance { kind } } }`,
    );
    expect(after.body).toEqual(reported.body);
    expect(reported.body.data).toMatchObject({
      facility: { openingHoursProvenance: { kind: 'REPORTED' } },
    });
  });

  it('rejects malformed hours and unknown facilities, leaving the hours unchanged', async () => {
    const read = () =>
      healthcare.query(
        `{ facility(id: "${facilityId}") { openingHours { weekday opens closes } } }`,
      );
    const before = (await read()).body;
    const cases: [unknown[], string, string?][] = [
      [[{ weekday: 'MONDAY', opens: '25:00', closes: '26:00' }], 'input.openingHours[0].opens'],
      [[{ weekday: 'MONDAY', opens: '8:00', closes: '12:00' }], 'input.openingHours[0].opens'],
      [[{ weekday: 'MONDAY', opens: '12:00', closes: '08:00' }], 'input.openingHours[0].closes'],
      [
        [
          { weekday: 'TUESDAY', opens: '08:00', closes: '12:00' },
          { weekday: 'TUESDAY', opens: '11:00', closes: '14:00' },
        ],
        'input.openingHours[1].opens',
      ],
      [[], 'input.facilityId', 'thc-000000000'],
    ];
    for (const [hours, field, id] of cases) {
      const res = await update(hours, id);
      expect(res.body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    expect((await read()).body).toEqual(before);
  });

  it('refuses writes that do not carry a gateway-signed identity with the write scope', async () => {
    const input = {
      pointId: POINT,
      month: '2022-05',
      doctorAppointments: 1,
      testResults: 0,
      insurance: 0,
      source: 'direct call',
    };
    const before = await snapshot('2022-05');
    const direct = await healthcare.query(REPORT, { input });
    expect(direct.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const wrongScope = await healthcare.write(REPORT, { input }, ['culture:write']);
    expect(wrongScope.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await snapshot('2022-05')).toEqual(before);
  });

  it('records the change at every village that shows the clinic as its nearest', async () => {
    const knex = (healthcare.started.orm.em as EntityManager).getKnex();
    // A clinic that is the nearest of villages other than its own (the seed has such).
    const [{ id }] = (await knex('village_access')
      .select('nearest_clinic_id as id')
      .whereNotNull('nearest_clinic_id')
      .andWhereRaw(`nearest_clinic_id <> 'clinic-' || village_code`)
      .limit(1)) as { id: string }[];
    const nearest = (await knex('village_access')
      .where('nearest_clinic_id', id)
      .pluck('village_code')) as string[];
    const own = id.slice('clinic-'.length);
    expect(nearest.filter((v) => v !== own).length).toBeGreaterThan(0);
    const [{ last }] = (await knex('village_change').max({ last: 'id' })) as { last: unknown }[];
    const res = await update([{ weekday: 'TUESDAY', opens: '08:09', closes: '16:00' }], id);
    expect(res.body.errors).toBeUndefined();
    const rows = (await knex('village_change')
      .where('id', '>', Number(last ?? 0))
      .select('village_code', 'what')) as { village_code: string; what: string }[];
    expect(rows.map((r) => r.village_code).sort()).toEqual([...new Set([own, ...nearest])].sort());
    expect(new Set(rows.map((r) => r.what))).toEqual(new Set(['facilityOpeningHours']));
  });

  it('marks both mutations as needing the healthcare:write scope', async () => {
    const res = await healthcare.query('{ _service { sdl } }');
    const sdl = (res.body.data as { _service: { sdl: string } })._service.sdl;
    for (const name of ['reportAssistedBookings', 'updateFacilityOpeningHours']) {
      expect(sdl).toMatch(
        new RegExp(
          `${name}\\(input: \\w+!\\): \\w+ @requiresScopes\\(scopes: \\[\\["healthcare:write"\\]\\]\\)`,
        ),
      );
    }
  });
});
