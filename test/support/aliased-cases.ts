import type { AliasCase } from './aliased-fields.js';

/** Codes and ids of the seeded county the cases ask about (found through the graph). */
export interface CaseIds {
  county: string;
  /** The only county with processing workshops. */
  workshops: string;
  townships: [string, string];
  villages: [string, string];
  auditoriums: [string, string];
  resources: [string, string];
  enterprises: [string, string];
  stores: [string, string];
  parks: [string, string];
  points: [string, string];
  facilities: [string, string];
}

const PAGE = '{ edges { cursor node { id } } pageInfo { hasNextPage endCursor } }';
const ENDS = '{ pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }';
const MONEY = 'revenue { amount }';

/**
 * One case per field of the supergraph that takes arguments and can be read (mutations and
 * inaccessible fields aside), each with two argument lists that answer differently.
 */
export function aliasCases(ids: CaseIds): AliasCase[] {
  const county = (inner: string) => `region(code: "${ids.county}") { ${inner} }`;
  const township = (inner: string) => `p2: region(code: "${ids.townships[1]}") { ${inner} }`;
  const townships = (inner: string) => county(`children { ${inner} }`);
  const villages = (inner: string) =>
    `villages(filter: { regionCode: "${ids.townships[0]}", kind: RURAL_VILLAGE }, first: 6) { edges { node { ${inner} } } }`;
  const otherVillages = (inner: string) =>
    `p2: villages(filter: { regionCode: "${ids.townships[1]}", kind: RURAL_VILLAGE }, first: 4) { edges { node { ${inner} } } }`;
  const list = (root: string) => (inner: string) => `${root} { edges { node { ${inner} } } }`;
  const auditoriums = list(`auditoriums(filter: { regionCode: "${ids.county}" }, first: 6)`);
  const stores = (inner: string) =>
    villages(`commerce { stores(first: 4) { edges { node { ${inner} } } } }`);
  const byId = (field: string, arg: string, pair: [string, string]): AliasCase => ({
    field: `Query.${field}`,
    parent: (inner) => inner,
    args: [`${arg}: "${pair[0]}"`, `${arg}: "${pair[1]}"`],
    // An unknown id is null, not an error; a malformed code is refused.
    ...(arg === 'code' && { bad: `${arg}: "?"` }),
    select: '{ id }',
    select2: '{ __typename }',
  });
  const root = (field: string, args: [string, string], select = PAGE): AliasCase => ({
    field: `Query.${field}`,
    parent: (inner) => inner,
    args,
    select,
    select2: ENDS,
    bad: `${args[0]}, after: "bm8"`,
    // The first argument list without its `first` (default 20), and with it.
    explicit: [
      `${args[0].replace(/first: \d+/, 'first: 20')}`,
      args[0].replace(/,? ?first: \d+,? ?/, ''),
    ],
  });
  const inCounty = `regionCode: "${ids.county}"`;
  return [
    {
      field: 'AssistancePoint.assistedBookings',
      bad: 'from: "2021-06", to: "2021-01", first: 2',
      explicit: ['from: "2020-01", to: "2021-12", first: 20', 'from: "2020-01", to: "2021-12"'],
      parent: (inner) => villages(`healthcare { assistancePoints { ${inner} } }`),
      args: [
        'from: "2020-01", to: "2020-06", first: 2',
        'from: "2020-03", to: "2021-12", first: 5',
      ],
      select: '{ edges { node { month total } } pageInfo { hasNextPage endCursor } }',
      select2: ENDS,
    },
    {
      field: 'Auditorium.events',
      bad: 'first: 1, after: "bm8"',
      explicit: ['first: 20', ''],
      parent: auditoriums,
      args: ['first: 1', 'first: 3'],
      select: PAGE,
      select2: ENDS,
    },
    {
      field: 'Auditorium.usage',
      bad: 'from: "2021-06", to: "2021-01"',
      parent: auditoriums,
      args: ['from: "2020-01", to: "2020-03"', 'from: "2020-02", to: "2020-12"'],
      select: '{ month visits resourceViews }',
      select2: '{ month }',
    },
    {
      field: 'DigitalResource.offeredBy',
      bad: 'first: 1, after: "bm8"',
      explicit: ['first: 20', ''],
      parent: list('digitalResources(first: 6)'),
      args: ['first: 1', 'first: 3'],
      select: '{ totalCount edges { node { id } } pageInfo { hasNextPage endCursor } }',
      select2: '{ totalCount }',
    },
    {
      field: 'Enterprise.stores',
      bad: 'first: 1, after: "bm8"',
      explicit: ['first: 20', ''],
      parent: list(`enterprises(${inCounty}, first: 6)`),
      args: ['first: 1', 'first: 3'],
      select: '{ totalCount edges { node { id } } pageInfo { hasNextPage endCursor } }',
      select2: '{ totalCount }',
    },
    {
      field: 'OnlineStore.monthlySales',
      bad: 'from: "2021-06", to: "2021-01"',
      parent: stores,
      args: ['from: "2020-01", to: "2020-03"', 'from: "2020-02", to: "2021-12"'],
      select: `{ month orders ${MONEY} }`,
      select2: '{ month }',
    },
    root('enterprises', [`${inCounty}, first: 1`, `${inCounty}, first: 3`]),
    root('ecommerceParks', [`${inCounty}, first: 1`, `${inCounty}, first: 3`]),
    root('processingWorkshops', [
      `regionCode: "${ids.workshops}", first: 1`,
      `regionCode: "${ids.workshops}", first: 3`,
    ]),
    root('auditoriums', [
      `first: 2, filter: { regionCode: "${ids.county}" }`,
      `first: 4, filter: { regionCode: "${ids.townships[0]}", digitalServiceHub: true }`,
    ]),
    root('digitalResources', [
      'first: 2',
      `first: 4, filter: { auditoriumId: "${ids.auditoriums[0]}" }`,
    ]),
    root('facilities', [`${inCounty}, first: 2`, `${inCounty}, level: VILLAGE_CLINIC, first: 3`]),
    {
      ...root('villageChanges', ['first: 1', 'first: 2'], '{ nodes { villageCode } }'),
      // Without a write, every page is empty: this case checks only that the two agree.
      alike: true,
      bad: 'first: 1, since: "bm8"',
      select2: '{ pageInfo { endCursor } }',
    },
    root(
      'villages',
      [
        `first: 2, filter: { regionCode: "${ids.county}" }`,
        `first: 3, filter: { regionCode: "${ids.townships[0]}", kind: RURAL_VILLAGE }`,
      ],
      PAGE.replace('id', 'code'),
    ),
    byId('onlineStore', 'id', ids.stores),
    byId('enterprise', 'id', ids.enterprises),
    byId('ecommercePark', 'id', ids.parks),
    byId('auditorium', 'id', ids.auditoriums),
    byId('digitalResource', 'id', ids.resources),
    byId('assistancePoint', 'id', ids.points),
    byId('facility', 'id', ids.facilities),
    { ...byId('region', 'code', ids.townships), select: '{ code name }' },
    { ...byId('village', 'code', ids.villages), select: '{ code name }' },
    {
      field: 'Region.childrenByIndex',
      bad: 'first: -1',
      explicit: ['first: 20', ''],
      parent: county,
      other: (inner) => `p2: region(code: "${ids.county.slice(0, 4)}") { ${inner} }`,
      args: ['first: 1', 'first: 3'],
      select: '{ rank region { code } index { score } }',
      select2: '{ rank }',
    },
    {
      field: 'Region.villagesByIndex',
      bad: 'first: -1',
      explicit: ['first: 20', ''],
      parent: county,
      other: township,
      args: ['first: 1', 'first: 3'],
      select: '{ rank village { code } index { score } }',
      select2: '{ rank }',
    },
    {
      field: 'Region.villages',
      bad: 'first: 1, after: "bm8"',
      explicit: ['first: 20', ''],
      parent: townships,
      other: township,
      args: ['first: 1', 'kind: RURAL_VILLAGE, first: 3'],
      select: '{ totalCount edges { node { code } } pageInfo { hasNextPage endCursor } }',
      select2: '{ totalCount }',
    },
    {
      field: 'RegionCommerce.onlineSales',
      bad: 'from: "2021-06", to: "2021-01"',
      parent: (inner) => townships(`commerce { ${inner} }`),
      other: (inner) => township(`commerce { ${inner} }`),
      args: ['from: "2020-01", to: "2020-03"', 'from: "2020-02", to: "2021-12"'],
      select: `{ from to orders ${MONEY} months { month orders } }`,
      select2: '{ orders }',
    },
    {
      field: 'RegionCommerce.childRanking',
      bad: 'by: ORDERS',
      explicit: ['by: JOBS, first: 20', 'by: JOBS'],
      parent: (inner) => county(`commerce { ${inner} }`),
      args: ['by: STORE_COUNT, first: 2', 'by: ONLINE_REVENUE, from: "2021-01", to: "2021-03"'],
      select: `{ rank region { code } count ${MONEY} }`,
      select2: '{ rank }',
    },
    {
      field: 'RegionCulture.usage',
      bad: 'from: "2021-06", to: "2021-01"',
      parent: (inner) => townships(`culture { ${inner} }`),
      other: (inner) => township(`culture { ${inner} }`),
      args: ['from: "2020-01", to: "2020-03"', 'from: "2020-02", to: "2021-12"'],
      select: '{ from to visits reports months { month visits } }',
      select2: '{ visits }',
    },
    {
      field: 'RegionCulture.childRanking',
      bad: 'by: VISITS',
      explicit: ['by: COVERAGE, first: 20', 'by: COVERAGE'],
      parent: (inner) => county(`culture { ${inner} }`),
      args: ['by: AUDITORIUM_COUNT, first: 2', 'by: VISITS, from: "2020-01", to: "2020-03"'],
      select: '{ rank region { code } value }',
      select2: '{ rank }',
    },
    {
      field: 'RegionHealthcare.assistedBookings',
      bad: 'from: "2021-06", to: "2021-01"',
      parent: (inner) => townships(`healthcare { ${inner} }`),
      other: (inner) => township(`healthcare { ${inner} }`),
      args: ['from: "2020-01", to: "2020-03"', 'from: "2020-02", to: "2021-12"'],
      select: '{ from to total months { month total reportingPoints } }',
      select2: '{ total }',
    },
    {
      field: 'RegionHealthcare.childRanking',
      bad: 'by: ASSISTED_BOOKINGS',
      explicit: ['by: DOCTORS, first: 20', 'by: DOCTORS'],
      parent: (inner) => county(`healthcare { ${inner} }`),
      args: ['by: DOCTORS, first: 2', 'by: ASSISTED_BOOKINGS, from: "2020-01", to: "2020-03"'],
      select: '{ rank region { code } value }',
      select2: '{ rank }',
    },
    {
      field: 'VillageCommerce.stores',
      bad: 'first: 1, after: "bm8"',
      explicit: ['first: 20', ''],
      parent: (inner) => villages(`commerce { ${inner} }`),
      other: (inner) => otherVillages(`commerce { ${inner} }`),
      args: ['first: 1', 'first: 3'],
      select: '{ totalCount edges { node { id } } pageInfo { hasNextPage endCursor } }',
      select2: '{ totalCount }',
    },
    {
      field: 'VillageCommerce.onlineSales',
      bad: 'from: "2021-06", to: "2021-01"',
      parent: (inner) => villages(`commerce { ${inner} }`),
      other: (inner) => otherVillages(`commerce { ${inner} }`),
      args: ['from: "2020-01", to: "2020-03"', 'from: "2020-02", to: "2021-12"'],
      select: `{ from to orders ${MONEY} months { month orders } }`,
      select2: '{ orders }',
    },
  ];
}
