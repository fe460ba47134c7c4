import { OPERATIONS } from './fault-answers.js';

/** What the database-fault tests send culture, and what no answer of theirs may show. */
export const RECORD = `mutation($i: RecordAuditoriumEventInput!) { recordAuditoriumEvent(input: $i) { id } }`;
export const READ = '{ auditoriums(first: 1) { edges { node { id } } } }';
/** Internal names: addresses, driver codes, SQL, the database's own words, file paths. */
export const INTERNAL =
  /55432|127\.0\.0\.1|ECONN|\bselect\b|\binsert\b|postgres|pg_|\/tmp|knex|acquiring|STATEMENT_TIMED/i;
/** The gateway's wait for a subgraph in these tests: shorter than the default, longer than a fault. */
export const SUBGRAPH_TIMEOUT_MS = 3_000;
export const PROFILE = OPERATIONS.find((o) => o.name === 'VillageProfile')!;
