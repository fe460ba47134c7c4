import { describe, expect, it } from 'vitest';
import { withoutAsyncContext } from '../../../test/support/async-context.js';
import { answeredFields } from '../../../test/support/subgraph.js';
import { bootCulture } from './fixtures.js';

// Haishu district (Ningbo), where Houcang village reports: writes and the rollups they change.
const { culture, regionRefs, scalar } = bootCulture(['330203']);

describe('culture subgraph writes', () => {
  const REPORT = `mutation($input: ReportAuditoriumUsageInput!) { reportAuditoriumUsage(input: $input) {
    month visits resourceViews assistedSessions { medicalAppointment total } provenance { kind source asOf } } }`;
  const RECORD = `mutation($input: RecordAuditoriumEventInput!) { recordAuditoriumEvent(input: $input) {
    auditoriumId date title type attendance provenance { kind source asOf } } }`;
  const usageInput = (over: Record<string, unknown> = {}) => ({
    auditoriumId: 'aud-330203009205',
    month: '2021-03',
    visits: 100,
    resourceViews: 60,
    assistedSessions: { medicalAppointment: 12, socialInsurance: 3, eGovernment: 4, other: 1 },
    ...over,
  });
  const eventInput = (over: Record<string, unknown> = {}) => ({
    auditoriumId: 'aud-330203009205',
    date: '2021-03-08',
    title: '后仓村数字公共服务日',
    type: 'PUBLIC_SERVICE_DAY',
    attendance: 85,
    ...over,
  });

  async function regionUsage(codes: string[], from: string, to = from) {
    const res = await culture().query<{
      _entities: { culture: { usage: Record<string, number | Record<string, number>> } }[];
    }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region { culture {
         usage(from: "${from}", to: "${to}") { reports visits resourceViews events eventAttendance
           assistedSessions { medicalAppointment total } } } } } }`,
      { r: regionRefs(codes) },
    );
    return res.body.data!._entities.map((e) => e.culture.usage);
  }

  const tableCounts = async () => ({
    usage: await scalar('select count(*) from auditorium_usage'),
    events: await scalar('select count(*) from auditorium_event'),
    rollupRows: await scalar('select count(*) from region_usage_rollup'),
    rollupVisits: await scalar('select sum(visits) from region_usage_rollup'),
    rollupEvents: await scalar('select sum(events) from region_usage_rollup'),
  });

  it('rejects bad mutation input with BAD_USER_INPUT naming the field, writing nothing', async () => {
    const before = await tableCounts();
    const cases: [string, Record<string, unknown>, string][] = [
      [REPORT, usageInput({ month: '2999-01' }), 'input.month'],
      [REPORT, usageInput({ month: '2021-13' }), 'input.month'],
      [REPORT, usageInput({ visits: -1 }), 'input.visits'],
      [
        REPORT,
        usageInput({
          assistedSessions: {
            medicalAppointment: -5,
            socialInsurance: 0,
            eGovernment: 0,
            other: 0,
          },
        }),
        'input.assistedSessions.medicalAppointment',
      ],
      [REPORT, usageInput({ auditoriumId: 'aud-nowhere' }), 'input.auditoriumId'],
      [RECORD, eventInput({ date: '2999-01-01' }), 'input.date'],
      [RECORD, eventInput({ attendance: -3 }), 'input.attendance'],
      [RECORD, eventInput({ title: '  ' }), 'input.title'],
      [RECORD, eventInput({ auditoriumId: 'aud-nowhere' }), 'input.auditoriumId'],
    ];
    for (const [mutation, input, field] of cases) {
      const res = await culture().write(mutation, { input });
      expect(answeredFields(res.body.data)).toEqual([]);
      expect(res.body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    expect(await tableCounts()).toEqual(before);
  });

  it('refuses writes without a gateway-signed identity holding culture:write', async () => {
    const before = await tableCounts();
    const direct = await culture().query(REPORT, { input: usageInput({ month: '2020-02' }) });
    expect(direct.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const wrong = await culture().write(REPORT, { input: usageInput({ month: '2020-02' }) }, [
      'commerce:write',
    ]);
    expect(wrong.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await tableCounts()).toEqual(before);
  });

  it('replaces a repeated monthly report instead of adding it, in every rollup level', async () => {
    const first = await culture().write(REPORT, { input: usageInput() });
    expect(first.body).toEqual({
      data: {
        reportAuditoriumUsage: {
          month: '2021-03',
          visits: 100,
          resourceViews: 60,
          assistedSessions: { medicalAppointment: 12, total: 20 },
          provenance: { kind: 'REPORTED', source: 'Data steward report', asOf: '2021-03' },
        },
      },
    });
    const again = await culture().write(REPORT, {
      input: usageInput({
        visits: 40,
        resourceViews: 10,
        assistedSessions: { medicalAppointment: 2, socialInsurance: 0, eGovernment: 0, other: 0 },
        source: 'Haishu district culture bureau',
      }),
    });
    expect(again.body.errors).toBeUndefined();
    const expected = {
      reports: 1,
      visits: 40,
      resourceViews: 10,
      events: 0,
      eventAttendance: 0,
      assistedSessions: { medicalAppointment: 2, total: 2 },
    };
    // Village's township, county, city and province all hold the replacement only.
    expect(await regionUsage(['330203009', '330203', '3302', '33'], '2021-03')).toEqual(
      Array(4).fill(expected),
    );
    const own = await culture().query(
      `{ auditorium(id: "aud-330203009205") { usage(from: "2021-03", to: "2021-03") {
          month visits provenance { kind source } } } }`,
    );
    expect(own.body.data).toEqual({
      auditorium: {
        usage: [
          {
            month: '2021-03',
            visits: 40,
            provenance: { kind: 'REPORTED', source: 'Haishu district culture bureau' },
          },
        ],
      },
    });

    // Replacing a seeded month changes the province total by the difference only.
    const [before] = await regionUsage(['33'], '2020-06');
    const old = await scalar(
      "select visits from auditorium_usage where auditorium_id = 'aud-330203009205' and month = '2020-06'",
    );
    await culture().write(REPORT, { input: usageInput({ month: '2020-06', visits: old + 250 }) });
    await culture().write(REPORT, { input: usageInput({ month: '2020-06', visits: old + 7 }) });
    const [after] = await regionUsage(['33'], '2020-06');
    expect(after.visits).toBe((before.visits as number) + 7);
    expect(after.reports).toBe(before.reports);
    // The rollup still equals a recount of the base table.
    expect(after.visits).toBe(
      await scalar(
        "select sum(visits) from auditorium_usage where village_code like '33%' and month = '2020-06'",
      ),
    );
  });

  it('records an event and counts it in the month rollups', async () => {
    // Writes run no AsyncLocalStorage (subgraphs/shared/transaction.ts): promise hooks stay off.
    const res = await withoutAsyncContext(() => culture().write(RECORD, { input: eventInput() }));
    expect(res.body).toEqual({
      data: {
        recordAuditoriumEvent: {
          auditoriumId: 'aud-330203009205',
          date: '2021-03-08',
          title: '后仓村数字公共服务日',
          type: 'PUBLIC_SERVICE_DAY',
          attendance: 85,
          provenance: { kind: 'REPORTED', source: 'Data steward report', asOf: '2021-03-08' },
        },
      },
    });
    const [county] = await regionUsage(['330203'], '2021-01', '2021-12');
    expect(county).toMatchObject({ events: 1, eventAttendance: 85 });
    const latest = await culture().query(
      `{ auditorium(id: "aud-330203009205") { events(first: 1) { edges { node { date title } } } } }`,
    );
    expect(latest.body.data).toEqual({
      auditorium: {
        events: { edges: [{ node: { date: '2021-03-08', title: '后仓村数字公共服务日' } }] },
      },
    });
  });
});
