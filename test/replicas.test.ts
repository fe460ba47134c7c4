import pg from 'pg';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER, signIdentity, DEV_GATEWAY_SHARED_SECRET } from '../contract/identity.js';
import { cultureSubgraph } from '../subgraphs/culture/index.js';
import { placesSubgraph } from '../subgraphs/places/index.js';
import { startSubgraph } from '../subgraphs/shared/bootstrap.js';
import { SERVICE_IDENTITY_KIND } from '../subgraphs/shared/changes.js';
import { Region } from '../subgraphs/places/region/region.entity.js';
import { loadSubgraphConfig } from '../subgraphs/shared/config.js';
import { openDatabase, type EntityManager } from '../subgraphs/shared/database.js';
import { createTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from './support/databases.js';
import { postGraphQL, stewardHeaders } from './support/subgraph.js';

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
  // A streaming replica replays the primary's commits a little after them. The change feed
  // reads the outboxes on the primary, and a partner told of a change re-reads the village:
  // that read goes to a replica. Two databases stand in for a primary and a replica that has
  // not replayed the last write yet.
  it.runIf(TEST_POSTGRES_URL)(
    'hands out a change outbox row only once every replica holds it',
    async () => {
      const primary = await createTestDatabase('culture_primary');
      const replica = await createTestDatabase('culture_replica');
      open.push(primary, replica);
      for (const db of [primary, replica]) {
        const orm = await openDatabase({ url: db.url, ...cultureSubgraph });
        await cultureSubgraph.seed(orm, { scope: '331124', seed: 1 });
        await orm.close();
      }
      const culture = await startSubgraph(cultureSubgraph, {
        databaseUrl: primary.url,
        databaseReplicaUrls: [replica.url],
        port: 0,
        logger: pino({ level: 'silent' }),
      });
      const url = culture.server.url;
      const service = {
        [IDENTITY_HEADER]: signIdentity(
          { id: 'service:places', kind: SERVICE_IDENTITY_KIND, scopes: [] },
          DEV_GATEWAY_SHARED_SECRET,
        ),
      };
      const outbox = async (after = 0) =>
        (
          await postGraphQL<{ _outbox: { end: number; rows: { id: number }[] } }>(
            url,
            'query($after: Int!) { _outbox(after: $after, first: 10) { end rows { id } } }',
            { after },
            service,
          )
        ).body.data?._outbox;
      const eventCount = async (id: string) =>
        (
          await postGraphQL<{ auditorium: { events: { totalCount: number } } }>(
            url,
            'query($id: ID!) { auditorium(id: $id) { events(first: 1) { totalCount } } }',
            { id },
          )
        ).body.data?.auditorium.events.totalCount;
      try {
        const list = await postGraphQL<{ auditoriums: { edges: { node: { id: string } }[] } }>(
          url,
          '{ auditoriums(first: 1, filter: { regionCode: "331124" }) { edges { node { id } } } }',
        );
        const auditoriumId = list.body.data!.auditoriums.edges[0].node.id;
        const before = await eventCount(auditoriumId);
        const written = await postGraphQL(
          url,
          'mutation($input: RecordAuditoriumEventInput!) { recordAuditoriumEvent(input: $input) { id } }',
          {
            input: {
              auditoriumId,
              date: '2021-05-11',
              title: 'Replica lag',
              type: 'DIGITAL_SKILLS_TRAINING',
              attendance: 42,
            },
          },
          stewardHeaders(['culture:write']),
        );
        expect(written.body.errors).toBeUndefined();
        // Written on the primary; a read, which the replica answers, does not show it yet, so
        // the feed must not name it: a partner would re-read the auditorium from before it.
        expect(await eventCount(auditoriumId)).toBe(before);
        expect(await outbox()).toEqual({ end: 0, rows: [] });
        // The replica replays the write (its outbox row comes with it): now it is handed out.
        const [fromPrimary, toReplica] = [primary, replica].map(
          (db) => new pg.Client({ connectionString: db.url }),
        );
        try {
          await Promise.all([fromPrimary.connect(), toReplica.connect()]);
          const { rows } = await fromPrimary.query('select * from village_change');
          expect(rows).toHaveLength(1);
          await toReplica.query(
            'insert into village_change (id, village_code, region_code, what, changed_at) values ($1, $2, $3, $4, $5)',
            [
              rows[0].id,
              rows[0].village_code,
              rows[0].region_code,
              rows[0].what,
              rows[0].changed_at,
            ],
          );
        } finally {
          await Promise.all([fromPrimary.end(), toReplica.end()]);
        }
        expect(await outbox()).toEqual({ end: 1, rows: [{ id: 1 }] });
        // A replica behind a position already handed out (added, or restored, behind the
        // others): nothing new for a reader there, not an end before it (the feed would take
        // the domain for restored and tell partners to export everything again).
        const lagging = new pg.Client({ connectionString: replica.url });
        await lagging.connect();
        await lagging.query('delete from village_change').finally(() => lagging.end());
        expect(await outbox(1)).toEqual({ end: 1, rows: [] });
        expect(await outbox(0)).toEqual({ end: 0, rows: [] });
        // Past the primary's own end: restored for real, and said so by an end before it.
        expect(await outbox(5)).toEqual({ end: 1, rows: [] });
      } finally {
        await culture.close();
      }
    },
  );
});
