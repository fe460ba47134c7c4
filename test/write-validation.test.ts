import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredFields } from './support/subgraph.js';
import type { SubgraphName } from '../contract/subgraphs.js';
import { BOOKINGS, EVENT, HOURS, REGISTER, rowCounts, SALES, USAGE } from './support/writes.js';
import { bootStack, type Stack } from './support/stack.js';

/**
 * Issue 15 item 6 and issue 16 ("writes keep it true"): every bad argument of a write is refused
 * with BAD_USER_INPUT naming the field, and nothing is written (the owning subgraph's row counts
 * of every table are unchanged); a NUL in any string argument of a read is BAD_USER_INPUT too.
 */
const SONGYANG_VILLAGE = '331124001200';
const AUDITORIUM = `aud-${SONGYANG_VILLAGE}`;
/** Real village-level units outside the loaded scope: places does not hold them. */
const BEIJING_VILLAGE = '110101001001';
const HOUCANG = '330203009205';
/** An urban community of Songyang: places holds every village-level unit of a loaded scope. */
const SONGYANG_COMMUNITY = '331124001001';
const STORE = `store-${SONGYANG_VILLAGE}-2`;

let stack: Stack;
let facilityId: string;
let pointId: string;

beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124'] });
  const res = await stack.query<Record<string, any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
    `{ facilities(regionCode: "331124", first: 1) { edges { node { id } } }
       village(code: "${SONGYANG_VILLAGE}") { healthcare { assistancePoints { id } } } }`,
  );
  expect(res.body.errors).toBeUndefined();
  facilityId = res.body.data!.facilities.edges[0].node.id;
  pointId = res.body.data!.village.healthcare.assistancePoints[0].id;
}, 240_000);
afterAll(async () => {
  await stack?.close();
});

const store = (over: Record<string, unknown> = {}) => ({
  name: 'Songyang write-validation tea',
  villageCode: SONGYANG_VILLAGE,
  platform: 'PINDUODUO',
  category: 'TEA',
  openedOn: '2021-03-01',
  jobs: 3,
  ...over,
});
const sales = (over: Record<string, unknown> = {}) => ({
  storeId: STORE,
  month: '2021-05',
  orders: 5,
  revenue: '12.00',
  ...over,
});
const event = (over: Record<string, unknown> = {}) => ({
  auditoriumId: AUDITORIUM,
  date: '2021-03-08',
  title: 'Write validation lecture',
  type: 'LECTURE',
  attendance: 30,
  ...over,
});
const usage = (over: Record<string, unknown> = {}) => ({
  auditoriumId: AUDITORIUM,
  month: '2021-04',
  visits: 10,
  resourceViews: 2,
  assistedSessions: { medicalAppointment: 1, socialInsurance: 0, eGovernment: 0, other: 0 },
  ...over,
});
const bookings = (over: Record<string, unknown> = {}) => ({
  pointId,
  month: '2021-04',
  doctorAppointments: 3,
  testResults: 1,
  insurance: 0,
  source: 'Township health centre monthly return',
  ...over,
});
const hours = (over: Record<string, unknown> = {}) => ({
  facilityId,
  openingHours: [{ weekday: 'MONDAY', opens: '08:00', closes: '17:00' }],
  source: 'County health bureau notice',
  ...over,
});

/** Sends a write that must be refused: BAD_USER_INPUT at `field`, no row of `owner` changed. */
async function refused(
  owner: SubgraphName,
  mutation: string,
  input: Record<string, unknown>,
  field: string,
) {
  const before = await rowCounts(stack, owner);
  const res = await stack.query(mutation, { i: input }, stack.steward);
  expect(answeredFields(res.body.data)).toEqual([]);
  expect(res.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field }]);
  expect(await rowCounts(stack, owner)).toEqual(before);
}

const ZERO_WIDTH = '\u200B\u200C\u200D\u2060\uFEFF';

describe('bad write input is refused, naming the field, with nothing written', () => {
  it.each([
    [
      'a village code not in the division list',
      { villageCode: '999999999999' },
      'input.villageCode',
    ],
    ['a village code of a county', { villageCode: '331124000000' }, 'input.villageCode'],
    // Real villages of the division list that places does not hold (only Songyang is loaded).
    ['a Beijing village', { villageCode: BEIJING_VILLAGE }, 'input.villageCode'],
    ['a Zhejiang village outside Songyang', { villageCode: HOUCANG }, 'input.villageCode'],
    ['jobs past the per-store bound', { jobs: 2_000_000_000 }, 'input.jobs'],
    ['negative jobs', { jobs: -1 }, 'input.jobs'],
    ['30 February', { openedOn: '2020-02-30' }, 'input.openedOn'],
    ['a date in year 1', { openedOn: '0001-01-01' }, 'input.openedOn'],
    ['a date in the future', { openedOn: '2999-01-01' }, 'input.openedOn'],
    ['a name of zero-width characters', { name: ZERO_WIDTH }, 'input.name'],
    ['a name with NUL', { name: 'tea\u0000shop' }, 'input.name'],
    ['a name with a lone surrogate', { name: 'tea\ud800shop' }, 'input.name'],
    ['a name on two lines', { name: 'tea\nshop' }, 'input.name'],
    ['a name with a C1 control (NEL)', { name: 'tea\u0085shop' }, 'input.name'],
    ['an empty source', { source: '' }, 'input.source'],
  ])('registerOnlineStore: %s', async (_what, over, field) => {
    await refused('commerce', REGISTER, store(over), field);
  });

  it('refuses 2020-02-30 written as a literal too', async () => {
    const before = await rowCounts(stack, 'commerce');
    const res = await stack.query(
      `mutation { registerOnlineStore(input: { name: "x", villageCode: "${SONGYANG_VILLAGE}",
        platform: PINDUODUO, category: TEA, openedOn: "2020-02-30", jobs: 1 }) { id } }`,
      {},
      stack.steward,
    );
    expect(res.body.errors?.map((e) => e.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', field: 'input.openedOn' },
    ]);
    expect(await rowCounts(stack, 'commerce')).toEqual(before);
  });

  it.each([
    ['revenue with a leading space', { revenue: ' 12' }, 'input.revenue'],
    ['revenue past the bound', { revenue: '100000000000.00' }, 'input.revenue'],
    ['month 0001-01', { month: '0001-01' }, 'input.month'],
    ['orders past the bound', { orders: 2_000_000_000 }, 'input.orders'],
    ['an empty source', { source: '' }, 'input.source'],
    ['a source of zero-width characters', { source: ZERO_WIDTH }, 'input.source'],
  ])('reportStoreSales: %s', async (_what, over, field) => {
    await refused('commerce', SALES, sales(over), field);
  });

  it.each([
    ['30 February', { date: '2020-02-30' }, 'input.date'],
    ['a date in year 1', { date: '0001-03-08' }, 'input.date'],
    ['a title of zero-width characters', { title: ZERO_WIDTH }, 'input.title'],
    ['a title with a line separator', { title: 'lecture\u2028two' }, 'input.title'],
    ['a date before the auditorium opened (2015)', { date: '2010-03-08' }, 'input.date'],
    ['an empty source', { source: '' }, 'input.source'],
    ['attendance past the bound', { attendance: 2_000_000_000 }, 'input.attendance'],
  ])('recordAuditoriumEvent: %s', async (_what, over, field) => {
    await refused('culture', EVENT, event(over), field);
  });

  it.each([
    ['month 0001-01', { month: '0001-01' }, 'input.month'],
    ['a month before the auditorium opened (2015)', { month: '2010-04' }, 'input.month'],
    ['an empty source', { source: '' }, 'input.source'],
    ['visits past the bound', { visits: 2_000_000_000 }, 'input.visits'],
  ])('reportAuditoriumUsage: %s', async (_what, over, field) => {
    await refused('culture', USAGE, usage(over), field);
  });

  it.each([
    ['month 0001-01', { month: '0001-01' }, 'input.month'],
    ['an empty source', { source: '' }, 'input.source'],
    ['a source of zero-width characters', { source: ZERO_WIDTH }, 'input.source'],
    ['a source with NUL', { source: 'return\u0000' }, 'input.source'],
    ['counts past the bound', { insurance: 2_000_000_000 }, 'input.insurance'],
  ])('reportAssistedBookings: %s', async (_what, over, field) => {
    await refused('healthcare', BOOKINGS, bookings(over), field);
  });

  it.each([
    ['an empty source', { source: '' }, 'input.source'],
    ['a source of zero-width characters', { source: ZERO_WIDTH }, 'input.source'],
    [
      'a NUL in an opening time',
      { openingHours: [{ weekday: 'MONDAY', opens: '08:00\u0000', closes: '17:00' }] },
      'input.openingHours[0].opens',
    ],
  ])('updateFacilityOpeningHours: %s', async (_what, over, field) => {
    await refused('healthcare', HOURS, hours(over), field);
  });

  it('keeps the commerce figures of Songyang, Lishui and Zhejiang after two huge jobs values', async () => {
    const FIGURES = `{ ${['331124', '3311', '33']
      .map((c) => `r${c}: region(code: "${c}") { commerce { stores { total } jobs { count } } }`)
      .join(' ')} }`;
    const before = await stack.query(FIGURES);
    expect(before.body.errors).toBeUndefined();
    for (const jobs of [2_147_483_647, 2_147_483_600]) {
      await refused('commerce', REGISTER, store({ jobs }), 'input.jobs');
    }
    const after = await stack.query(FIGURES);
    expect(after.body).toEqual(before.body);
    // A store within the bounds is registered and counted at every level.
    const ok = await stack.query(REGISTER, { i: store({ jobs: 10_000 }) }, stack.steward);
    expect(ok.body.errors).toBeUndefined();
    const counted = (await stack.query<Record<string, any>>(FIGURES)).body.data!; // eslint-disable-line @typescript-eslint/no-explicit-any
    const was = before.body.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const key of ['r331124', 'r3311', 'r33']) {
      expect(counted[key].commerce.jobs.count).toBe(was[key].commerce.jobs.count + 10_000);
      expect(counted[key].commerce.stores.total).toBe(was[key].commerce.stores.total + 1);
    }
  });

  it('registerOnlineStore: a village is accepted exactly when places holds it', async () => {
    const PLACES = `{ inside: village(code: "${SONGYANG_COMMUNITY}") { code }
      beijing: village(code: "${BEIJING_VILLAGE}") { code }
      houcang: village(code: "${HOUCANG}") { code } }`;
    const held = await stack.query(PLACES);
    expect(held.body).toEqual({
      data: { inside: { code: SONGYANG_COMMUNITY }, beijing: null, houcang: null },
    });
    const before = await rowCounts(stack, 'commerce');
    const res = await stack.query<Record<string, any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
      `mutation($i: RegisterOnlineStoreInput!) { registerOnlineStore(input: $i) { villageCode } }`,
      { i: store({ villageCode: SONGYANG_COMMUNITY }) },
      stack.steward,
    );
    expect(res.body).toEqual({
      data: { registerOnlineStore: { villageCode: SONGYANG_COMMUNITY } },
    });
    expect((await rowCounts(stack, 'commerce')).online_store).toBe(before.online_store + 1);
  });

  it('accepts good input, trimmed', async () => {
    const res = await stack.query<Record<string, any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
      `mutation($i: RecordAuditoriumEventInput!) { recordAuditoriumEvent(input: $i) {
        title date provenance { source } } }`,
      {
        i: event({ title: `\u200B  Tea picking class \u00A0`, source: ' County culture bureau ' }),
      },
      stack.steward,
    );
    expect(res.body).toEqual({
      data: {
        recordAuditoriumEvent: {
          title: 'Tea picking class',
          date: '2021-03-08',
          provenance: { source: 'County culture bureau' },
        },
      },
    });
  });
});

describe('a NUL in any string argument of a read is BAD_USER_INPUT', () => {
  it.each([
    ['culture', 'auditorium', 'auditorium(id: $v) { id }', 'ID!', 'id'],
    ['culture', 'digitalResource', 'digitalResource(id: $v) { id }', 'ID!', 'id'],
    ['healthcare', 'facility', 'facility(id: $v) { id }', 'ID!', 'id'],
    ['healthcare', 'assistancePoint', 'assistancePoint(id: $v) { id }', 'ID!', 'id'],
    ['commerce', 'ecommercePark', 'ecommercePark(id: $v) { id }', 'ID!', 'id'],
    ['commerce', 'onlineStore', 'onlineStore(id: $v) { id }', 'ID!', 'id'],
    ['places', 'village', 'village(code: $v) { code }', 'ID!', 'code'],
    ['places', 'region', 'region(code: $v) { code }', 'ID!', 'code'],
    ['places', 'villages', 'villages(first: 1, after: $v) { totalCount }', 'String', 'after'],
  ])('%s: %s, as a variable and as a literal', async (_owner, root, selection, type, field) => {
    const value = `${SONGYANG_VILLAGE}\u0000`;
    const asVariable = await stack.query(`query($v: ${type}) { ${selection} }`, { v: value });
    const asLiteral = await stack.query(
      `{ ${selection.replace('$v', JSON.stringify(value).replace('\u0000', '\\u0000'))} }`,
    );
    for (const res of [asVariable, asLiteral]) {
      expect(res.status).toBe(200);
      expect(res.body.errors?.map((e) => ({ path: e.path, ...e.extensions }))).toEqual([
        { path: [root], code: 'BAD_USER_INPUT', field },
      ]);
    }
  });

  it('in an argument of a nested field: the rest of the answer stands', async () => {
    const res = await stack.query(
      `query($v: String) { village(code: "${SONGYANG_VILLAGE}") { code culture {
        auditorium { events(first: 1, after: $v) { edges { cursor } } } } } }`,
      { v: 'x\u0000' },
    );
    expect(res.body.errors?.map((e) => e.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', field: 'after' },
    ]);
    expect(res.body.data).toMatchObject({ village: { code: SONGYANG_VILLAGE } });
  });
});
