import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodePositions,
  type Positions,
} from '../subgraphs/places/changes/change-feed.js';
import { FEED, readFeed, type Page } from './support/change-feed.js';
import { ENGINE } from './support/databases.js';
import { bootStack, type Stack } from './support/stack.js';
import { USAGE } from './support/writes.js';

/**
 * The change feed when a domain's database is restored to an earlier state (docs/partners.md,
 * "Change feed"): the restored outbox hands the same ids out anew, to other changes. A cursor
 * taken after the restore's point is refused, even once the outbox has grown past it again,
 * where reading it would skip the changes written since the restore; once places has noticed
 * the restore, so is one taken before it (its reader may have exported the lost changes). The restore is done to culture's outbox table as a restore leaves
 * it: the rows after the backup gone, its id sequence back where the backup had it. And a
 * culture change at an auditorium is listed at the villages helped there (healthcare's
 * assistance points), whose profiles show it.
 */
const AUDITORIUM = 'aud-331124001200';
let stack: Stack;

beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124'] });
}, 240_000);

afterAll(async () => {
  await stack?.close();
});

async function feed(since: string | null, first = 100): Promise<Page> {
  const res = await stack.query<{ villageChanges: Page }>(FEED, { since, first });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.villageChanges;
}

async function reportUsage(month: string, auditoriumId = AUDITORIUM): Promise<void> {
  const assistedSessions = { medicalAppointment: 0, socialInsurance: 0, eGovernment: 0, other: 0 };
  const res = await stack.query(
    USAGE,
    { i: { auditoriumId, month, visits: 5, resourceViews: 1, assistedSessions } },
    stack.steward,
  );
  expect(res.body.errors).toBeUndefined();
}

/** Culture's outbox as a restore of a backup taken when its last id was `end` leaves it. */
async function restoreCultureOutbox(end: number): Promise<void> {
  const conn = stack.subgraphs.culture.started.orm.em.fork().getConnection();
  await conn.execute(`delete from village_change where id > ${end}`);
  await conn.execute(
    ENGINE === 'postgresql'
      ? `select setval(pg_get_serial_sequence('village_change', 'id'), ${Math.max(end, 1)}, ${end > 0})`
      : `update sqlite_sequence set seq = ${end} where name = 'village_change'`,
  );
}

const positionsOf = (cursor: string): Positions => decodeCursor(cursor).positions;

describe('villageChanges after a domain database is restored', () => {
  it('refuses cursors from after the restore point, keeps those from before it', async () => {
    const backup = await feed(null);
    const backupEnd = positionsOf(backup.pageInfo.endCursor).culture;
    await reportUsage('2021-05');
    await reportUsage('2021-06');
    const afterWrites = await readFeed(feed, backup.pageInfo.endCursor, 1);
    expect(afterWrites.changes.map((c) => c.domains)).toEqual([['CULTURE'], ['CULTURE']]);
    const lost = afterWrites.end;
    expect(positionsOf(lost).culture).toBe(backupEnd + 2);

    await restoreCultureOutbox(backupEnd);
    // Refused while the restored outbox ends before it (it never handed that position out) …
    const early = await stack.query(FEED, { since: lost });
    expect(early.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    // … saying what to do: a reader that took it for a garbled cursor would not start again.
    expect(early.body.errors?.[0].message).toMatch(/restored or reloaded.*export again/);
    // … and once it has grown past it again, with other changes at the same ids.
    await reportUsage('2021-07');
    await reportUsage('2021-08');
    await reportUsage('2021-09');
    const grown = await stack.query(FEED, { since: lost });
    expect(grown.status).toBeLessThan(500);
    expect(grown.body.data ?? null).toBeNull();
    expect(grown.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(grown.body.errors?.[0].message).toMatch(/restored/);

    // The position from before the restore's point is refused too (its reader took it before
    // an export that may hold the lost changes: feed-watch.ts), stamped or first-version.
    for (const since of [
      backup.pageInfo.endCursor,
      encodePositions(positionsOf(backup.pageInfo.endCursor)),
    ]) {
      const old = await stack.query(FEED, { since });
      expect(old.body.errors?.[0].message).toMatch(/restored or reloaded.*export again/);
    }
    // A new position reads on, in the new generation, none of the new changes skipped.
    const fresh = await feed(null);
    expect(fresh.pageInfo.endCursor.startsWith('v3.')).toBe(true);
    await reportUsage('2021-11');
    const after = await readFeed(feed, fresh.pageInfo.endCursor, 1);
    expect(after.changes).toHaveLength(1);
    expect(positionsOf(after.end).culture).toBe(backupEnd + 4);
    expect((await feed(after.end)).nodes).toEqual([]);
  });
});

describe('villageChanges at an auditorium other villages are helped at', () => {
  it('lists a culture change there at those villages too', async () => {
    const conn = stack.subgraphs.healthcare.started.orm.em.fork().getConnection();
    const [point] = (await conn.execute(
      `select village_code, auditorium_id from assistance_point
       where auditorium_id is not null and auditorium_id <> 'aud-' || village_code
       order by id limit 1`,
    )) as { village_code: string; auditorium_id: string }[];
    const auditoriumVillage = point.auditorium_id.slice('aud-'.length);
    const start = await feed(null);
    await reportUsage('2021-10', point.auditorium_id);
    const page = await feed(start.pageInfo.endCursor);
    const byVillage = new Map(page.nodes.map((n) => [n.villageCode, n]));
    expect(byVillage.get(auditoriumVillage)?.domains).toEqual(['CULTURE']);
    // The village helped there sees the auditorium's usage in its profile: listed too.
    expect(byVillage.get(point.village_code)).toMatchObject({
      domains: ['CULTURE'],
      what: ['auditoriumUsage'],
      village: { code: point.village_code },
    });
    expect(page.pageInfo.hasNextPage).toBe(false);
  });

  it('does not answer its neighbours lookup through the gateway, nor to an unsigned caller', async () => {
    const query = '{ _auditoriumNeighbours(villageCodes: ["331124001200"]) { villageCode } }';
    const res = await stack.query(query);
    expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const direct = await stack.subgraphs.healthcare.query(query);
    expect(direct.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

/** The villages a culture change at each auditorium is listed at: its own and those helped there. */
async function listedAt(): Promise<Map<string, Set<string>>> {
  const conn = stack.subgraphs.healthcare.started.orm.em.fork().getConnection();
  const points = (await conn.execute(
    'select distinct auditorium_id, village_code from assistance_point where auditorium_id is not null',
  )) as { auditorium_id: string; village_code: string }[];
  const at = new Map<string, Set<string>>();
  for (const { auditorium_id: id, village_code: code } of points) {
    at.set(id, (at.get(id) ?? new Set([id.slice('aud-'.length)])).add(code));
  }
  return at;
}

describe('villageChanges pages of changes listed at many villages', () => {
  it('hold at most `first` nodes, and a walk gives every village of every change once', async () => {
    const at = await listedAt();
    // The widest auditorium changes whose villages do not overlap: each village is one change's.
    const chosen: [string, Set<string>][] = [];
    for (const [id, villages] of [...at].sort((a, b) => b[1].size - a[1].size)) {
      if (chosen.some(([, v]) => [...villages].some((c) => v.has(c)))) continue;
      if (chosen.push([id, villages]) === 5) break;
    }
    expect(chosen.at(-1)![1].size).toBeGreaterThan(2);
    const start = await feed(null);
    for (const [id] of chosen.slice(0, 4)) await reportUsage('2021-12', id);
    const expected = chosen.flatMap(([, v]) => [...v]).sort();

    for (const first of [1, 2, 5, 100]) {
      let cursor = start.pageInfo.endCursor;
      const seen: string[] = [];
      for (let more = true, pages = 0; more; pages++) {
        expect(pages).toBeLessThan(80);
        // Written while the first walk is under way, within the widest change.
        if (first === 1 && pages === 2) await reportUsage('2021-12', chosen[4][0]);
        const page = await feed(cursor, first);
        expect(page.nodes.length).toBeLessThanOrEqual(first);
        expect(page.nodes.length).toBeGreaterThan(0);
        seen.push(...page.nodes.map((n) => n.villageCode!));
        cursor = page.pageInfo.endCursor;
        more = page.pageInfo.hasNextPage;
      }
      expect(seen.sort()).toEqual(expected);
      expect(positionsOf(cursor).culture - positionsOf(start.pageInfo.endCursor).culture).toBe(5);
      expect((await feed(cursor, first)).nodes).toEqual([]);
    }
  });

  it('of `first: 1` hold one node though the change is listed at many villages', async () => {
    const [id, villages] = [...(await listedAt())].sort((a, b) => b[1].size - a[1].size)[0];
    const start = await feed(null);
    await reportUsage('2021-09', id);
    const query = `query($c: String) { villageChanges(since: $c, first: 1) {
      nodes { village { code name } } pageInfo { endCursor hasNextPage } } }`;
    const res = await stack.query<{ villageChanges: Page }>(query, {
      c: start.pageInfo.endCursor,
    });
    expect(res.body.data?.villageChanges.nodes).toHaveLength(1);
    expect(res.body.data?.villageChanges.pageInfo.hasNextPage).toBe(true);
    expect(villages.size).toBeGreaterThan(1);
  });
});

/** `cursor` with the village it ended at within a change set to `code`, all else as given. */
function endingAt(cursor: string, code: string): string {
  const version = cursor.slice(0, 3);
  const sections = Buffer.from(cursor.slice(3), 'base64url').toString('utf8').split('~');
  sections[3] = `${sections[3].split('.')[0]}.${code}`;
  return version + Buffer.from(sections.join('~')).toString('base64url');
}

describe('villageChanges cursors ending within a change', () => {
  it('are refused once edited, where an edited village would skip the rest of the change', async () => {
    const [id, villages] = [...(await listedAt())].sort((a, b) => b[1].size - a[1].size)[0];
    const start = await feed(null);
    await reportUsage('2021-08', id);
    const page = await feed(start.pageInfo.endCursor, 1);
    const cursor = page.pageInfo.endCursor;
    const given = page.nodes.map((n) => n.villageCode!);
    const rest = [...villages].filter((v) => !given.includes(v)).sort();
    expect(rest.length).toBeGreaterThan(1);
    // A village of the change later in its order, and one not in it: both would skip some.
    for (const code of [rest.at(-1)!, '331124999999']) {
      const res = await stack.query<{ villageChanges: Page }>(FEED, {
        since: endingAt(cursor, code),
        first: 100,
      });
      expect(res.status).toBe(200);
      expect(res.body.data?.villageChanges ?? null).toBeNull();
      expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0].message).toMatch(/was changed after this feed handed it out/);
    }
    // As handed out, it gives the rest of the change.
    const next = await feed(cursor, 100);
    expect(next.nodes.map((n) => n.villageCode!).sort()).toEqual(rest);
  });
});
