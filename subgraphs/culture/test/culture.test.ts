import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '../../shared/database.js';
import { isRuralVillageName, readDivisions } from '../../shared/divisions.js';
import { SYNTHETIC_SOURCE, XINHUA_2021 } from '../../shared/provenance.js';
import { bootSubgraph, type BootedSubgraph } from '../../../test/support/subgraph.js';
import { cultureSubgraph } from '../index.js';
import { ZHEJIANG_ROLLUP_NOTE } from '../region/rollups.js';

// The whole province: the 91.3 % coverage is calibrated over all of Zhejiang's rural villages.
let culture: BootedSubgraph;
/** Rural villages per region code (every level), as the places subgraph counts them. */
const rural = new Map<string, number>();

beforeAll(async () => {
  for await (const v of readDivisions('villages')) {
    if (v.provinceCode !== '33' || !isRuralVillageName(v.name)) continue;
    for (const code of [v.provinceCode, v.cityCode, v.areaCode, v.streetCode])
      rural.set(code, (rural.get(code) ?? 0) + 1);
  }
  culture = await bootSubgraph(cultureSubgraph as never, { scopes: ['zhejiang'] });
});
afterAll(() => culture?.close());

/** Region representations as the gateway sends them for `culture @requires(ruralVillageCount)`. */
const regionRefs = (codes: string[]) =>
  codes.map((code) => ({ __typename: 'Region', code, ruralVillageCount: rural.get(code) ?? 0 }));

const REGION_CULTURE = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region {
  culture { auditoriumCount ruralVillagesCovered coverage coveragePercent
            provenance { kind source asOf note } } } } }`;

async function scalar(sql: string): Promise<number> {
  const em = culture.started.orm.em.fork() as EntityManager;
  const [row] = (await em.getConnection().execute(sql)) as Record<string, unknown>[];
  return Number(Object.values(row)[0]);
}

describe('culture subgraph', () => {
  it("serves Houcang village's reported auditorium with its digital resources", async () => {
    const res = await culture.query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Village { code culture {
          auditorium { id name villageCode digitalServiceHub services
            provenance { kind source asOf }
            resources { kind dialect } } } } } }`,
      { r: [{ __typename: 'Village', code: '330203009205' }] },
    );
    const auditorium = (
      res.body.data as {
        _entities: { culture: { auditorium: Record<string, unknown> & { resources: object[] } } }[];
      }
    )._entities[0].culture.auditorium;
    expect(auditorium).toMatchObject({
      id: 'aud-330203009205',
      name: '后仓村文化礼堂',
      villageCode: '330203009205',
      digitalServiceHub: true,
      provenance: { kind: 'REPORTED', source: XINHUA_2021, asOf: '2021' },
    });
    expect(auditorium.services).toEqual(
      expect.arrayContaining(['BOOK_LENDING', 'DIALECT_LEARNING', 'TRADITIONAL_CULTURE_COURSES']),
    );
    // Its dialect lessons are in the Ningbo Wu dialect; it also offers courses and e-books.
    expect(auditorium.resources).toEqual(
      expect.arrayContaining([
        { kind: 'DIALECT_LESSON', dialect: 'NINGBO_WU' },
        { kind: 'TRADITIONAL_CULTURE_COURSE', dialect: null },
        { kind: 'E_BOOK', dialect: null },
      ]),
    );
  });

  it("serves Baoshanqiao's reported auditorium, where staff help book doctor appointments", async () => {
    const res = await culture.query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Auditorium {
          id villageCode digitalServiceHub services provenance { kind source } } } }`,
      { r: [{ __typename: 'Auditorium', id: 'aud-330603011258' }] },
    );
    const auditorium = (res.body.data as { _entities: Record<string, unknown>[] })._entities[0];
    expect(auditorium).toMatchObject({
      id: 'aud-330603011258',
      villageCode: '330603011258',
      digitalServiceHub: true,
      provenance: { kind: 'REPORTED', source: XINHUA_2021 },
    });
    expect(auditorium.services).toContain('MEDICAL_APPOINTMENT_HELP');
  });

  it('reports over 17,000 auditoriums and 91.3 % coverage for Zhejiang, as published', async () => {
    expect(rural.get('33')).toBe(19_429);
    const res = await culture.query(REGION_CULTURE, { r: regionRefs(['33', '331124']) });
    const [zhejiang, songyang] = (
      res.body.data as { _entities: { culture: Record<string, unknown> }[] }
    )._entities.map((e) => e.culture);
    expect(zhejiang).toEqual({
      auditoriumCount: 17_739,
      ruralVillagesCovered: 17_739,
      coverage: 17_739 / 19_429,
      coveragePercent: 91.3,
      provenance: {
        kind: 'REPORTED',
        source: XINHUA_2021,
        asOf: '2020-12-31',
        note: ZHEJIANG_ROLLUP_NOTE,
      },
    });
    expect(zhejiang.auditoriumCount).toBeGreaterThan(17_000);
    expect(songyang.provenance).toMatchObject({ kind: 'SYNTHETIC', source: SYNTHETIC_SOURCE });
    expect(songyang.auditoriumCount).toBe(
      await scalar("select count(*) from auditorium where village_code like '331124%'"),
    );
  });

  it('answers every county of the province with as many statements as one city', async () => {
    const counties = [...rural.keys()].filter((c) => c.length === 6).sort();
    expect(counties.length).toBeGreaterThan(80);
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region {
      culture { coverage usage(from: "2020-01", to: "2020-12") { visits reports } } } } }`;
    culture.sql.reset();
    const one = await culture.query(query, {
      r: regionRefs(counties.filter((c) => c.startsWith('3311'))),
    });
    const perCity = culture.sql.count;
    culture.sql.reset();
    const all = await culture.query(query, { r: regionRefs(counties) });
    expect(culture.sql.count).toBe(perCity);
    expect(perCity).toBe(2); // one rollup read, one usage-rollup read
    const rows = (all.body.data as { _entities: { culture: { coverage: number | null } }[] })
      ._entities;
    expect(rows).toHaveLength(counties.length);
    expect(one.body.errors).toBeUndefined();
    // Urban districts without rural villages have no coverage share.
    for (const [i, code] of counties.entries()) {
      if (rural.get(code)) expect(rows[i].culture.coverage).toBeGreaterThan(0);
      else expect(rows[i].culture.coverage).toBeNull();
    }
  });

  it('searches the catalogue by dialect and topic, a page at a time', async () => {
    const page = (after: string | null) =>
      culture.query<{
        digitalResources: {
          totalCount: number;
          edges: { node: { id: string; dialect: string; format: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }>(
        `query($after: String) { digitalResources(filter: { dialect: SHE_JINGNING, topic: DIALECT },
           first: 3, after: $after) { totalCount edges { node { id dialect format language } }
           pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
    const first = (await page(null)).body.data!.digitalResources;
    expect(first.totalCount).toBe(4);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await page(first.pageInfo.endCursor)).body.data!.digitalResources;
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect([...first.edges, ...second.edges].map((e) => e.node)).toEqual(
      [1, 2, 3, 4].map((i) => ({
        id: `res-dialect-she-jingning-${i}`,
        dialect: 'SHE_JINGNING',
        format: 'AUDIO',
        language: 'SHE',
      })),
    );
    const tea = await culture.query(
      `{ digitalResources(filter: { topic: TEA_CULTURE }) { edges { node { kind topic } } } }`,
    );
    expect(tea.body.data).toEqual({
      digitalResources: {
        edges: [
          { node: { kind: 'TRADITIONAL_CULTURE_COURSE', topic: 'TEA_CULTURE' } },
          { node: { kind: 'E_BOOK', topic: 'TEA_CULTURE' } },
        ],
      },
    });
    // Jingning's auditoriums teach She; the lessons list them.
    const she = await culture.query(
      `{ digitalResource(id: "res-dialect-she-jingning-1") { offeredByCount
          offeredBy(first: 2) { edges { node { villageCode } } } } }`,
    );
    const offered = (
      she.body.data as {
        digitalResource: {
          offeredByCount: number;
          offeredBy: { edges: { node: { villageCode: string } }[] };
        };
      }
    ).digitalResource;
    expect(offered.offeredByCount).toBeGreaterThan(0);
    for (const e of offered.offeredBy.edges) expect(e.node.villageCode).toMatch(/^331127/);
  });

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
    const res = await culture.query<{
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
      const res = await culture.write(mutation, { input });
      expect(res.body.data).toBeNull();
      expect(res.body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    expect(await tableCounts()).toEqual(before);
  });

  it('refuses writes without a gateway-signed identity holding culture:write', async () => {
    const before = await tableCounts();
    const direct = await culture.query(REPORT, { input: usageInput({ month: '2020-02' }) });
    expect(direct.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const wrong = await culture.write(REPORT, { input: usageInput({ month: '2020-02' }) }, [
      'commerce:write',
    ]);
    expect(wrong.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await tableCounts()).toEqual(before);
  });

  it('replaces a repeated monthly report instead of adding it, in every rollup level', async () => {
    const first = await culture.write(REPORT, { input: usageInput() });
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
    const again = await culture.write(REPORT, {
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
    const own = await culture.query(
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
    await culture.write(REPORT, { input: usageInput({ month: '2020-06', visits: old + 250 }) });
    await culture.write(REPORT, { input: usageInput({ month: '2020-06', visits: old + 7 }) });
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
    const res = await culture.write(RECORD, { input: eventInput() });
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
    const latest = await culture.query(
      `{ auditorium(id: "aud-330203009205") { events(first: 1) { edges { node { date title } } } } }`,
    );
    expect(latest.body.data).toEqual({
      auditorium: {
        events: { edges: [{ node: { date: '2021-03-08', title: '后仓村数字公共服务日' } }] },
      },
    });
  });
});
