import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootStack, type Stack } from './support/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124'] });
});
afterAll(() => stack?.close());

async function scrape(graphqlUrl: string): Promise<{ type: string; text: string }> {
  const res = await fetch(new URL('/metrics', graphqlUrl));
  expect(res.status).toBe(200);
  return { type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** The value of one series, e.g. `name{a="b",c="d"}`, or undefined when absent. */
function series(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inner = line.slice(name.length + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries(
      [...inner.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

describe('Prometheus metrics', () => {
  it('counts gateway requests by operation and outcome, and subgraph fetches by subgraph', async () => {
    const village = `query VillageProfile($code: ID!) {
      village(code: $code) { name culture { auditorium { name } } healthcare { clinic { name } }
        commerce { storeCount } } }`;
    for (let i = 0; i < 3; i++) {
      const res = await stack.query(village, { code: '331124001201' });
      expect(res.body.errors).toBeUndefined();
    }
    const bad = await stack.query('query BadCode { village(code: "x") { code } }');
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const { type, text } = await scrape(stack.gateway.url);
    expect(type).toContain('text/plain');
    expect(
      series(text, 'gateway_graphql_requests_total', {
        operation: 'VillageProfile',
        type: 'query',
        outcome: 'success',
      }),
    ).toBe(3);
    expect(
      series(text, 'gateway_graphql_requests_total', { operation: 'BadCode', outcome: 'partial' }),
    ).toBe(1);
    expect(
      series(text, 'gateway_graphql_request_duration_seconds_count', {
        operation: 'VillageProfile',
      }),
    ).toBe(3);
    // One fetch from places, then one from each of the three subgraphs it fans out to.
    for (const subgraph of ['places', 'culture', 'healthcare', 'commerce']) {
      expect(
        series(text, 'gateway_subgraph_fetches_total', { subgraph, outcome: 'success' }),
      ).toBeGreaterThanOrEqual(3);
      expect(
        series(text, 'gateway_subgraph_fetch_duration_seconds_count', { subgraph }),
      ).toBeGreaterThanOrEqual(3);
      expect(series(text, 'gateway_subgraph_breaker_state', { subgraph })).toBe(0);
    }
    expect(
      series(text, 'gateway_subgraph_fetch_errors_total', {
        subgraph: 'places',
        outcome: 'graphql_error',
      }),
    ).toBe(1);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('lets other parts of the gateway report breaker state and cache use', async () => {
    // The metrics of a gateway object built the same way as the running one.
    const { createGatewayMetrics } = await import('../gateway/observability/metrics.js');
    const metrics = createGatewayMetrics(['places']);
    metrics.setBreakerState('places', 'open');
    metrics.recordCache('query-plan', true);
    metrics.recordCache('query-plan', false);
    metrics.recordCache('query-plan', true);
    const text = await metrics.registry.metrics();
    expect(series(text, 'gateway_subgraph_breaker_state', { subgraph: 'places' })).toBe(2);
    expect(series(text, 'gateway_cache_hits_total', { cache: 'query-plan' })).toBe(2);
    expect(series(text, 'gateway_cache_misses_total', { cache: 'query-plan' })).toBe(1);
  });

  it('counts subgraph requests and SQL statements, and shows the database pool', async () => {
    const places = stack.subgraphs.places;
    places.sql.reset();
    const res = await places.query(
      'query Villages { villages(first: 3, filter: { regionCode: "331124" }) { totalCount } }',
    );
    expect(res.body.errors).toBeUndefined();
    const statements = places.sql.count;
    expect(statements).toBeGreaterThan(0);

    const { text } = await scrape(places.url);
    expect(
      series(text, 'subgraph_graphql_requests_total', {
        subgraph: 'places',
        operation: 'Villages',
        type: 'query',
        outcome: 'success',
      }),
    ).toBe(1);
    // Requests the gateway sent earlier are counted under its generated operation names.
    expect(
      series(text, 'subgraph_graphql_requests_total', { operation: 'VillageProfile__places__0' }),
    ).toBe(3);
    const selects = series(text, 'subgraph_sql_statements_total', {
      statement: 'select',
      outcome: 'success',
    });
    expect(selects).toBeGreaterThanOrEqual(statements);
    expect(
      series(text, 'subgraph_sql_statement_duration_seconds_count', { statement: 'select' }),
    ).toBe(selects);
    expect(
      series(text, 'subgraph_db_pool_connections', { connection: 'primary', state: 'used' }),
    ).toBe(0);
    expect(text).toMatch(/^process_resident_memory_bytes\{subgraph="places"\} \d/m);

    const culture = await scrape(stack.subgraphs.culture.url);
    expect(
      series(culture.text, 'subgraph_graphql_requests_total', {
        subgraph: 'culture',
        outcome: 'success',
      }),
    ).toBeGreaterThanOrEqual(3);
  });
});
