import { afterAll, describe, expect, it } from 'vitest';
import { placesSubgraph } from '../subgraphs/places/index.js';
import { Region } from '../subgraphs/places/region/region.entity.js';
import { loadSubgraphConfig } from '../subgraphs/shared/config.js';
import { openDatabase, type EntityManager } from '../subgraphs/shared/database.js';
import { createTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from './support/databases.js';

const open: TestDatabase[] = [];
afterAll(async () => {
  for (const db of open) await db.drop();
});

describe('read replicas', () => {
  it('reads <NAME>_DATABASE_REPLICA_URLS as a comma-separated list of PostgreSQL URLs', () => {
    const urls = 'postgresql://r1/places, postgresql://r2/places';
    expect(
      loadSubgraphConfig('places', { PLACES_DATABASE_REPLICA_URLS: urls }).databaseReplicaUrls,
    ).toEqual(['postgresql://r1/places', 'postgresql://r2/places']);
    expect(loadSubgraphConfig('places', {}).databaseReplicaUrls).toEqual([]);
    expect(() =>
      loadSubgraphConfig('places', { PLACES_DATABASE_REPLICA_URLS: 'sqlite:x.sqlite' }),
    ).toThrow(/PLACES_DATABASE_REPLICA_URLS/);
  });

  it.runIf(!TEST_POSTGRES_URL)('refuses replicas behind a SQLite primary', async () => {
    await expect(
      openDatabase({
        url: 'sqlite::memory:',
        replicaUrls: ['postgresql://127.0.0.1/x'],
        entities: placesSubgraph.entities,
        migrations: placesSubgraph.migrations,
      }),
    ).rejects.toThrow(/postgresql:\/\/ primary/);
  });

  // Two databases stand in for a primary and its replica; only the "replica" holds data, so
  // where an answer comes from shows where the statement went.
  it.runIf(TEST_POSTGRES_URL)(
    'sends reads outside transactions to the replica, transactions to the primary',
    async () => {
      const primary = await createTestDatabase('primary');
      const replica = await createTestDatabase('replica');
      open.push(primary, replica);
      const loader = await openDatabase({ url: replica.url, ...placesSubgraph });
      await placesSubgraph.seed(loader, { scope: '331124', seed: 1 });
      const regions = await (loader.em.fork() as EntityManager).count(Region);
      await loader.close();
      expect(regions).toBeGreaterThan(0);

      const orm = await openDatabase({
        url: primary.url,
        replicaUrls: [replica.url],
        entities: placesSubgraph.entities,
        migrations: placesSubgraph.migrations,
      });
      try {
        const em = orm.em.fork() as EntityManager;
        expect(await em.count(Region)).toBe(regions);
        expect(await em.transactional((tx) => tx.count(Region))).toBe(0);
      } finally {
        await orm.close();
      }
    },
  );
});
