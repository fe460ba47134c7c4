import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../gateway/auth/keys.js';
import { RedisKeyStore } from '../gateway/auth/redis-keys.js';
import { startTopology, type Topology } from '../scripts/topology.js';
import { dropDatabase } from '../subgraphs/shared/pg-admin.js';
import { roomInMinute } from './support/clock.js';
import { TEST_POSTGRES_URL } from './support/databases.js';
import { compileDist } from './support/processes.js';
import { postGraphQL } from './support/subgraph.js';

// The topology runs the compiled processes, as docker-compose.yml does: build them first.
const prefix = `t_topo_${randomBytes(3).toString('hex')}_`;
const dataDir = mkdtempSync(join(tmpdir(), 'rdsg-topology-'));
let topology: Topology;

beforeAll(async () => {
  const complaints = await compileDist();
  if (complaints) throw new Error(complaints);
  topology = await startTopology({
    scope: '331124',
    gateways: 2,
    postgresUrl: TEST_POSTGRES_URL,
    databasePrefix: prefix,
    dataDir,
    redisUrl: 'redis://127.0.0.1:6379',
    // Production mode, as deployed: Apollo Server installs its own signal handlers there. The
    // quietest log level pino has, which the Rust runtime's own logger does not know.
    env: {
      LOG_LEVEL: 'fatal',
      NODE_ENV: 'production',
      GATEWAY_SHARED_SECRET: randomBytes(24).toString('hex'),
      INTROSPECTION: 'true',
    },
    stdio: 'ignore',
  });
  // Compiling and loading data in child processes takes a while on two cores.
}, 300_000);
afterAll(async () => {
  await topology?.stop();
  if (TEST_POSTGRES_URL) {
    for (const name of ['places', 'culture', 'healthcare', 'commerce'])
      await dropDatabase(TEST_POSTGRES_URL, `${prefix}${name}`);
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('scripts/topology.ts', () => {
  it('tells places where the domains are: the change feed answers', async () => {
    const feed = '{ villageChanges { nodes { villageCode } pageInfo { endCursor } } }';
    const res = await postGraphQL(topology.gateways[0].url, feed);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toMatchObject({
      villageChanges: { nodes: [], pageInfo: { endCursor: expect.any(String) } },
    });
  });

  it('runs two gateway processes over four subgraph processes that answer alike', async () => {
    expect(topology.gateways).toHaveLength(2);
    expect(new Set(topology.gateways.map((g) => g.port)).size).toBe(2);
    const query = `{ village(code: "331124001201") { name culture { auditorium { name } } commerce { storeCount } } }`;
    const [a, b] = await Promise.all(topology.gateways.map((g) => postGraphQL(g.url, query)));
    expect(a.body.errors).toBeUndefined();
    expect((a.body.data as { village: { name: string } }).village.name).toBe('二村村委会');
    expect(b.body).toEqual(a.body);
    // In production the subgraphs answer their gateway only (its fetches and readiness probe are
    // signed): a caller who reaches a subgraph's port directly is refused.
    for (const s of Object.values(topology.subgraphs)) {
      const direct = await postGraphQL(s.url, '{ __typename }');
      expect([s.url, direct.status]).toEqual([s.url, 401]);
    }
  });

  it('returns the request id and serves metrics on every gateway', async () => {
    for (const g of topology.gateways) {
      const res = await fetch(g.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': `topology-${g.port}` },
        body: JSON.stringify({ query: 'query Provinces { provinces { code } }' }),
      });
      expect(res.headers.get('x-request-id')).toBe(`topology-${g.port}`);
      // In production /metrics is served on the operator listener only, and an anonymous
      // caller's operation name is not a label (strangers cannot fill the label slots).
      expect((await fetch(new URL('/metrics', g.url))).status).toBe(404);
      const metrics = await (await fetch(new URL('/metrics', g.operatorUrl))).text();
      expect(metrics).toMatch(
        /^gateway_graphql_requests_total\{operation="\(other\)",type="query",outcome="success"\} 1$/m,
      );
    }
  });

  it("shares a key's quota between the two gateway processes through Redis", async () => {
    const redis = new Redis('redis://127.0.0.1:6379');
    const { key } = await new RedisKeyStore(redis).create({
      name: 'topology quota',
      owner: 'tests',
      scopes: [],
      rateLimitPerMinute: 4,
    });
    try {
      // Six requests must fall in one rate window; the key's counts outlive a rerun.
      await roomInMinute(10_000);
      const statuses: number[] = [];
      const [a, b] = topology.gateways;
      for (const g of [a, b, a, b, a, b]) {
        const res = await postGraphQL(g.url, '{ provinces { code } }', undefined, {
          'x-api-key': key,
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      await redis.hdel('rdsg:api-keys', hashKey(key));
      redis.disconnect();
    }
  });

  it('stops every process cleanly on SIGTERM', async () => {
    const codes = await topology.stop();
    expect(codes).toEqual(codes.map(() => 0));
    // The seed job, four subgraphs and two gateways.
    expect(codes).toHaveLength(7);
  });
});
