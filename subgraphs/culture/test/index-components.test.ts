import { describe, expect, it } from 'vitest';
import { bootCulture } from './fixtures.js';

// Houcang village (Haishu, Ningbo) and its auditorium.
const { culture } = bootCulture(['330203']);
const VILLAGE = '330203009205';
const AUDITORIUM = 'aud-330203009205';

describe("culture's index components are the documented rounding of the exact figures", () => {
  it('rounds the usage component at an exact half up', async () => {
    // 2020 reported as 513 visits in 12 auditorium-months: 513 / 12 / 600 = 0.07125 exactly,
    // which the quotient of doubles (0.071249999…) rounded to 0.0712.
    for (let m = 1; m <= 12; m++) {
      const res = await culture().write(
        `mutation($i: ReportAuditoriumUsageInput!) { reportAuditoriumUsage(input: $i) { month } }`,
        {
          i: {
            auditoriumId: AUDITORIUM,
            month: `2020-${String(m).padStart(2, '0')}`,
            visits: m <= 9 ? 43 : 42,
            resourceViews: 0,
            assistedSessions: {
              medicalAppointment: 0,
              socialInsurance: 0,
              eGovernment: 0,
              other: 0,
            },
          },
        },
      );
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
