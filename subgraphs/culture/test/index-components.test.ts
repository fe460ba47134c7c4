import { describe, expect, it } from 'vitest';
import type { EntityManager } from '../../shared/database.js';
import { bootCulture } from './fixtures.js';

// Houcang village (Haishu, Ningbo) and its auditorium.
const { culture } = bootCulture(['330203']);

const USAGE = `mutation($i: ReportAuditoriumUsageInput!) { reportAuditoriumUsage(input: $i) { month } }`;
const NO_SESSIONS = { medicalAppointment: 0, socialInsurance: 0, eGovernment: 0, other: 0 };
const VILLAGE = '330203009205';
const AUDITORIUM = 'aud-330203009205';

describe("culture's index components are the documented rounding of the exact figures", () => {
  it('rounds the usage component at an exact half up', async () => {
    // 2020 reported as 513 visits in 12 auditorium-months: 513 / 12 / 600 = 0.07125 exactly,
    // which the quotient of doubles (0.071249999…) rounded to 0.0712.
    for (let m = 1; m <= 12; m++) {
      const res = await culture().write(USAGE, {
        i: {
          auditoriumId: AUDITORIUM,
          month: `2020-${String(m).padStart(2, '0')}`,
          visits: m <= 9 ? 43 : 42,
          resourceViews: 0,
          assistedSessions: NO_SESSIONS,
        },
      });
      expect(res.body.errors).toBeUndefined();
    }
    const res = await culture().query<{ _entities: { culture: unknown }[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Village { culture {
        indexComponents { coverage usage visitsPerAuditoriumMonth } } } } }`,
      { r: [{ __typename: 'Village', code: VILLAGE }] },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!._entities[0].culture).toEqual({
      indexComponents: { coverage: 1, usage: 0.0713, visitsPerAuditoriumMonth: 42.8 },
    });
  });
});

describe("culture's index input where its figures round to 0", () => {
  it('still has figures: the index notes them as 0, not as missing', async () => {
    // The township of 330203 with the fewest auditoriums, each given a 2020 of no visits, in a
    // region of a million rural villages: coverage and usage both round to 0.0000.
    const em = culture().started.orm.em.fork() as EntityManager;
    const rows = (await em
      .getConnection()
      .execute(
        `select id, village_code from auditorium where village_code like '330203%' order by id`,
      )) as { id: string; village_code: string }[];
    const byTownship = new Map<string, typeof rows>();
    for (const r of rows) {
      const t = r.village_code.slice(0, 9);
      byTownship.set(t, [...(byTownship.get(t) ?? []), r]);
    }
    const [township, auditoriums] = [...byTownship].sort((a, b) => a[1].length - b[1].length)[0];
    for (const { id } of auditoriums)
      for (let m = 1; m <= 12; m++) {
        const month = `2020-${String(m).padStart(2, '0')}`;
        const i = { auditoriumId: id, month, visits: 0, resourceViews: 0 };
        const res = await culture().write(USAGE, { i: { ...i, assistedSessions: NO_SESSIONS } });
        expect(res.body.errors).toBeUndefined();
      }
    const r = [
      { __typename: 'Region', code: township, ruralVillageCount: 1_000_000, children: [] },
    ];
    const res = await culture().query<{ _entities: unknown[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region {
        cultureIndexInput { coverage usage hasFigures } } } }`,
      { r },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!._entities).toEqual([
      { cultureIndexInput: { coverage: 0, usage: 0, hasFigures: true } },
    ]);
  });
});
