/**
 * Documents whose answers depend on what a database computes: figures summed over month ranges,
 * rankings (ties included), shares, money, the digital index, text filters with mixed case,
 * non-ASCII text and LIKE's wildcards, connections with `first`/`after`. Sent alike to stacks on
 * SQLite and on PostgreSQL (test/database-parity.test.ts), whose answers must be equal.
 */
const PROVENANCE = 'provenance { kind source asOf note }';
/** Month ranges over the seeded months (culture 2019–2020, healthcare and commerce 2020–2021). */
const RANGES = [
  ['2019-01', '2020-12'],
  ['2020-01', '2021-12'],
  ['2019-11', '2020-02'],
  ['2021-06', '2021-06'],
];
const CULTURE = ['COVERAGE', 'AUDITORIUM_COUNT', 'RURAL_VILLAGES_COVERED', 'VISITS', 'EVENTS'];
const HEALTHCARE = ['CLINIC_WITHIN_15_MINUTES_SHARE', 'FAMILY_DOCTOR_SHARE', 'ASSISTED_BOOKINGS'];
const COMMERCE = ['STORE_COUNT', 'JOBS', 'ONLINE_REVENUE', 'ORDERS', 'SERVICE_POINT_COUNT'];
/** Text for `nameContains`/`titleContains`: case, non-ASCII, LIKE's `%` and `_`, a quote. */
export const CONTAINS = ['村', '社区', 'a', 'A', 'Li', 'e', 'E', 'ü', '%', '_', "'", ' ', '文化'];

function regionFigures(code: string): string {
  return `{ region(code: "${code}") { code name level villageCount ruralVillageCount
    children { code villageCount ruralVillageCount }
    digitalIndex { score components { cultureCoverage cultureUsage clinicAccess assistedBookings
      onlineStores onlineRevenue } ${PROVENANCE} }
    childrenByIndex(first: 50) { rank region { code } index { score } }
    culture { auditoriumCount ruralVillagesCovered digitalServiceHubCount coverage coveragePercent
      indexComponents { hasFigures coverage usage visitsPerAuditoriumMonth ${PROVENANCE} } }
    healthcare { clinicAccess { villagesWithin15Minutes shareWithin15Minutes shareWithin30Minutes }
      familyDoctorCoverage { villages share } facilities { total doctors acceptingOnlineAppointments }
      doctorsPer1000Residents telemedicine { facilitiesOffering villages { villages share } }
      indexComponents { clinicAccess assistedBookings bookingsPerVillageMonth } }
    commerce { indexComponents { stores onlineRevenue storesPerVillage }
      stores { total byPlatform { platform count jobs } byCategory { category count jobs } }
      jobs { count } enterprises { count } servicePoints { count } }
    villages(first: 30) { totalCount edges { cursor node { code kind } } pageInfo { endCursor } } } }`;
}

function ranges(code: string, from: string, to: string): string {
  const r = `from: "${from}", to: "${to}"`;
  const culture = CULTURE.map(
    (m) => `c${m}: childRanking(by: ${m}, first: 50, ${r}) { rank region { code } value coverage }`,
  );
  const healthcare = HEALTHCARE.map(
    (m) => `h${m}: childRanking(by: ${m}, first: 50, ${r}) { rank region { code } value }`,
  );
  const commerce = COMMERCE.map(
    (m) =>
      `k${m}: childRanking(by: ${m}, first: 50, ${r}) { rank region { code } count revenue { amount } }`,
  );
  return `{ region(code: "${code}") {
    culture { usage(${r}) { reports visits events eventAttendance assistedSessions { total other }
      months { month visits events } } ${culture.join('\n')} }
    healthcare { assistedBookings(${r}) { total months { month total reportingPoints } }
      ${healthcare.join('\n')} }
    commerce { onlineSales(${r}) { orders revenue { amount currency } months { month orders revenue { amount } } }
      tea: childRanking(by: STORE_COUNT, category: TEA, first: 50) { rank region { code } count }
      ${commerce.join('\n')} } } }`;
}

function villageProfile(code: string): string {
  return `{ village(code: "${code}") { code name kind digitalIndex { score }
    culture { auditorium { id services digitalServiceHub seats
      events(first: 5) { edges { cursor node { date attendance } } }
      usage(from: "2020-06", to: "2020-09") { month visits assistedSessions { total } } } }
    healthcare { access { clinicMinutes familyDoctorCovered nearestClinic { id } }
      assistancePoints { id assistedBookings(first: 3, from: "2021-01", to: "2021-12") {
        edges { cursor node { month total } } pageInfo { hasNextPage endCursor } } } }
    commerce { storeCount jobs { count } stores(first: 5) { totalCount edges { cursor node { id jobs } } }
      onlineSales(from: "2021-01", to: "2021-03") { orders revenue { amount } } } } }`;
}

/** The documents for a county and its first township and village, as [name, document]. */
export function parityDocuments(county: string, township: string, village: string) {
  const docs: [string, string][] = [];
  for (const code of ['33', county, township]) {
    docs.push([`figures ${code}`, regionFigures(code)]);
    for (const [from, to] of RANGES) docs.push([`ranges ${code} ${from}`, ranges(code, from, to)]);
  }
  docs.push([`village ${village}`, villageProfile(village)]);
  docs.push([
    `villagesByIndex ${county}`,
    `{ region(code: "${county}") { villagesByIndex(first: 100) { rank village { code } index { score } } } }`,
  ]);
  for (const text of CONTAINS) {
    const t = JSON.stringify(text);
    docs.push([
      `contains ${text}`,
      `{ villages(first: 20, filter: { nameContains: ${t} }) { totalCount edges { cursor node { code } } }
        digitalResources(first: 20, filter: { titleContains: ${t} }) { totalCount edges { node { id } } } }`,
    ]);
  }
  docs.push([
    'lists',
    `{ auditoriums(first: 20, filter: { regionCode: "${county}", service: E_COMMERCE_TRAINING }) {
        totalCount edges { cursor node { id services } } }
      hubs: auditoriums(first: 20, filter: { regionCode: "${township}", digitalServiceHub: false }) {
        totalCount edges { node { id } } }
      facilities(regionCode: "${county}", first: 20, level: VILLAGE_CLINIC) { edges { cursor node {
        id openingHours { weekday opens closes } services acceptsOnlineAppointments } } }
      enterprises(regionCode: "${county}", first: 20) { edges { cursor node { id ownerName
        years { year onlineRevenue { amount } offlineRevenue { amount } } } } } }`,
  ]);
  return docs;
}

/** Connections walked page by page with `after`, as [name, field with `$n` and `$a`]. */
export function parityWalks(county: string): [string, string][] {
  return [
    ['villages', `villages(first: $n, after: $a, filter: { regionCode: "${county}" })`],
    ['villages named', `villages(first: $n, after: $a, filter: { nameContains: "村" })`],
    ['auditoriums', `auditoriums(first: $n, after: $a, filter: { regionCode: "${county}" })`],
    ['facilities', `facilities(first: $n, after: $a, regionCode: "${county}")`],
    ['enterprises', `enterprises(first: $n, after: $a, regionCode: "33")`],
  ];
}
