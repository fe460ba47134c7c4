import { OPERATIONS } from './fault-answers.js';
import { bootStack } from './stack.js';

/** What the database-fault tests send culture, and what no answer of theirs may show. */
export const RECORD = `mutation($i: RecordAuditoriumEventInput!) { recordAuditoriumEvent(input: $i) { id } }`;
export const READ = '{ auditoriums(first: 1) { edges { node { id } } } }';
/** Internal names: addresses, driver codes, SQL, the database's own words, file paths. */
export const INTERNAL =
  /55432|127\.0\.0\.1|ECONN|\bselect\b|\binsert\b|postgres|pg_|\/tmp|knex|acquiring|STATEMENT_TIMED/i;
/** The gateway's wait for a subgraph in these tests: shorter than the default, longer than a fault. */
export const SUBGRAPH_TIMEOUT_MS = 3_000;
export const PROFILE = OPERATIONS.find((o) => o.name === 'VillageProfile')!;

/**
 * A stack whose culture runs on the private PostgreSQL at `url`, with the gateway's short wait,
 * no retries and a quick breaker, and the profile's fault-free answer to compare with.
 */
export async function cultureOnPrivatePostgres(url: string) {
  const stack = await bootStack({
    scopes: ['331124'],
    servers: { culture: url },
    env: {
      SUBGRAPH_TIMEOUT_MS: String(SUBGRAPH_TIMEOUT_MS),
      SUBGRAPH_RETRIES: '0',
      BREAKER_RESET_MS: '500',
    },
  });
  const baseline: unknown = (await stack.query(PROFILE.query, PROFILE.variables)).body.data;
  return { stack, culture: stack.subgraphs.culture.url, baseline };
}
