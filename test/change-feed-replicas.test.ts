import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commerceSubgraph } from '../subgraphs/commerce/index.js';
import { cultureSubgraph } from '../subgraphs/culture/index.js';
import { healthcareSubgraph } from '../subgraphs/healthcare/index.js';
import { placesSubgraph } from '../subgraphs/places/index.js';
import { startSubgraph, type StartedSubgraph } from '../subgraphs/shared/bootstrap.js';
import { openDatabase } from '../subgraphs/shared/database.js';
import { decodeCursor } from '../subgraphs/places/changes/change-feed.js';
import { FEED, type Page } from './support/change-feed.js';
import { createTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from './support/databases.js';
import { bootSubgraph, postGraphQL, type BootedSubgraph } from './support/subgraph.js';

/**
 * The change feed over a domain with a read replica (docs/partners.md, "Change feed"): a partner
 * re-reads from a replica what the feed names, so the feed hands out only the changes every
 * replica holds, at the feed's end as on every page; and a replica behind a cursor already
 * handed out (added, or restored, behind the others) gives it nothing new until it catches up,
 * never a "restored" refusal. Two PostgreSQL databases stand in for culture's primary and its
 * replica; the test replays a row on the replica as streaming replication would.
 */
const open: TestDatabase[] = [];
const closers: (() => Promise<void>)[] = [];
let places: BootedSubgraph;
let primary: pg.Client;
let replica: pg.Client;

beforeAll(async () => {
  if (!TEST_POSTGRES_URL) return;
  const dbs = [
    await createTestDatabase('culture_primary'),
    await createTestDatabase('culture_rep'),
  ];
  open.push(...dbs);
  for (const db of dbs) await (await openDatabase({ url: db.url, ...cultureSubgraph })).close();
  const culture: StartedSubgraph = await startSubgraph(cultureSubgraph, {
    databaseUrl: dbs[0].url,
    databaseReplicaUrls: [dbs[1].url],
    port: 0,
    logger: pino({ level: 'silent' }),
  });
  closers.push(() => culture.close());
  const [healthcare, commerce] = await Promise.all(
    [healthcareSubgraph, commerceSubgraph].map((def) => bootSubgraph(def as never, { scopes: [] })),
  );
  closers.push(healthcare.close, commerce.close);
  places = await bootSubgraph(placesSubgraph as never, {
    scopes: [],
    peers: { culture: culture.server.url, healthcare: healthcare.url, commerce: commerce.url },
  });
  closers.push(places.close);
  [primary, replica] = dbs.map((db) => new pg.Client({ connectionString: db.url }));
  await Promise.all([primary.connect(), replica.connect()]);
  closers.push(
    () => primary.end(),
    () => replica.end(),
  );
}, 120_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  for (const db of open) await db.drop();
});

const COLUMNS = 'id, village_code, region_code, what, changed_at';

/** A write committed on the primary (not replayed yet): its outbox row's id. */
async function write(villageCode: string): Promise<number> {
  const { rows } = await primary.query(
    `insert into village_change (village_code, region_code, what, changed_at)
     values ($1, null, 'auditoriumEvent', $2) returning id`,
    [villageCode, new Date().toISOString()],
  );
  return Number(rows[0].id);
}

/** The replica replays the primary's rows up to `id`, in order. */
async function replay(id: number): Promise<void> {
  const { rows } = await primary.query(
    `select ${COLUMNS} from village_change where id <= $1 order by id`,
    [id],
  );
  const { rows: held } = await replica.query(
    'select coalesce(max(id), 0) as id from village_change',
  );
  for (const r of rows.filter((row) => Number(row.id) > Number(held[0].id))) {
    await replica.query(`insert into village_change (${COLUMNS}) values ($1, $2, $3, $4, $5)`, [
      r.id,
      r.village_code,
      r.region_code,
      r.what,
      r.changed_at,
    ]);
  }
}

async function feed(since: string | null) {
  const res = await postGraphQL<{ villageChanges: Page }>(places.url, FEED, { since, first: 10 });
  return res.body;
}

describe.runIf(TEST_POSTGRES_URL)('the change feed over a domain with a read replica', () => {
  it('starts where every replica is, and names the rows the replica replays later', async () => {
    await replay(await write('331124001201'));
    const unreplayed = await write('331124001202');
    // The replica has not replayed the last write: a partner starting now exports from the
    // replica without it, so the feed's end must be before it (it was SUBGRAPH_UNAVAILABLE).
    const start = await feed(null);
    expect(start.errors).toBeUndefined();
    const position = start.data!.villageChanges.pageInfo.endCursor;
    expect(decodeCursor(position).positions.culture).toBe(unreplayed - 1);
    expect((await feed(position)).data?.villageChanges.nodes).toEqual([]);
    await replay(unreplayed);
    const next = await feed(position);
    expect(next.errors).toBeUndefined();
    expect(next.data!.villageChanges.nodes.map((n) => n.villageCode)).toEqual(['331124001202']);
  });

  it('gives a cursor past a replica nothing new until the replica catches up', async () => {
    const id = await write('331124001203');
    await replay(id);
    const start = await feed(null);
    const position = start.data!.villageChanges.pageInfo.endCursor;
    expect(decodeCursor(position).positions.culture).toBe(id);
    // The replica restored behind the cursor (or a new one added): nothing new, the same cursor.
    await replica.query('delete from village_change where id >= $1', [id]);
    const later = await write('331124001204');
    const behind = await feed(position);
    expect(behind.errors).toBeUndefined();
    expect(behind.data?.villageChanges).toEqual({
      nodes: [],
      pageInfo: { endCursor: position, hasNextPage: false },
    });
    // Caught up: the change after the cursor, once.
    await replay(later);
    const caughtUp = await feed(position);
    expect(caughtUp.errors).toBeUndefined();
    expect(caughtUp.data!.villageChanges.nodes.map((n) => n.villageCode)).toEqual(['331124001204']);
  });
});
