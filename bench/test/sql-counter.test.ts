import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSubgraph, type StartedSubgraph } from '../../subgraphs/shared/bootstrap.js';
import { loadSubgraphConfig } from '../../subgraphs/shared/config.js';
import { placesSubgraph } from '../../subgraphs/places/index.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { postGraphQL, SqlCounter } from '../../test/support/subgraph.js';

// The benchmark reads exact SQL counts from subgraphs running as child processes.
let db: TestDatabase;
let counted: StartedSubgraph;
let plain: StartedSubgraph;
const sql = new SqlCounter();

const origin = (s: StartedSubgraph) => s.server.url.replace(/\/graphql$/, '');
const counts = async (s: StartedSubgraph) => {
  const res = await fetch(`${origin(s)}/debug/sql-count`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  db = await createTestDatabase('sqlcount');
  const logger = pino({ level: 'silent' });
  counted = await startSubgraph(placesSubgraph as never, {
    databaseUrl: db.url,
    port: 0,
    logger,
    onQuery: sql.onQuery,
    statementCounter: true,
  });
  await placesSubgraph.seed(counted.orm, { scope: '330203', seed: 1 });
  plain = await startSubgraph(placesSubgraph as never, {
    databaseUrl: db.url,
    port: 0,
    logger,
    migrate: false,
  });
});
afterAll(async () => {
  await counted?.close();
  await plain?.close();
  await db?.drop();
});

describe('SQL statement counter (SQL_STATEMENT_COUNTER=1)', () => {
  it('is off unless asked for', () => {
    expect(loadSubgraphConfig('places', {}).sqlStatementCounter).toBe(false);
    expect(loadSubgraphConfig('places', { SQL_STATEMENT_COUNTER: '1' }).sqlStatementCounter).toBe(
      true,
    );
  });

  it('counts every statement and GraphQL request, exactly', async () => {
    const before = await counts(counted);
    sql.reset();
    const res = await postGraphQL(
      counted.server.url,
      '{ village(code: "330203009205") { name county { name } } }',
    );
    expect(res.body).toEqual({
      data: { village: { name: '后仓村村委会', county: { name: '海曙区' } } },
    });
    const after = await counts(counted);
    expect(after.status).toBe(200);
    expect(sql.count).toBeGreaterThan(0);
    expect(after.body).toEqual({
      statements: (before.body.statements as number) + sql.count,
      requests: (before.body.requests as number) + 1,
    });
  });

  it('serves no debug route when off', async () => {
    expect((await counts(plain)).status).toBe(404);
  });
});
