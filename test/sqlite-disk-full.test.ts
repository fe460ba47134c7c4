import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cultureSubgraph } from '../subgraphs/culture/index.js';
import { startSubgraph, type StartedSubgraph } from '../subgraphs/shared/bootstrap.js';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { postGraphQL, stewardHeaders } from './support/subgraph.js';

/**
 * Culture's SQLite file on a disk that fills up (a 16 MB tmpfs, so root only: skipped when the
 * mount is refused). In WAL mode the index beside the file (-shm) could not grow, and every
 * statement, reads too, failed with SQLITE_IOERR_SHMSIZE: INTERNAL_SERVER_ERROR for reads and
 * writes alike, while /readyz (`select 1`, which reads no page) answered 200. Now they are
 * SUBGRAPH_UNAVAILABLE, /readyz answers 503 while the disk is full, nothing is half-written,
 * and once there is room the retry with the same Idempotency-Key writes once.
 */
const RECORD = `mutation($i: RecordAuditoriumEventInput!) { recordAuditoriumEvent(input: $i) { id } }`;
const READ = '{ auditoriums(first: 1) { edges { node { id } } } }';

function mountTmpfs(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'rdsg-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

describe('culture on SQLite, its disk full', () => {
  let dir: string | undefined;
  let culture: StartedSubgraph | undefined;
  beforeAll(async () => {
    dir = mountTmpfs();
    if (!dir) return;
    culture = await startSubgraph(cultureSubgraph as never, {
      databaseUrl: `sqlite:${join(dir, 'culture.sqlite')}`,
      port: 0,
      logger: pino({ level: 'silent' }),
    });
    await cultureSubgraph.seed(culture.orm, { scope: '331124', seed: 1 });
  });
  afterAll(async () => {
    await culture?.close();
    if (dir) {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails reads and writes as SUBGRAPH_UNAVAILABLE, not ready; writes once with room', async (ctx) => {
    if (!culture || !dir) return ctx.skip('mounting a small tmpfs needs root');
    const url = culture.server.url;
    const title = `full-${Date.now()}`;
    const write = () =>
      postGraphQL(
        url,
        RECORD,
        {
          i: {
            auditoriumId: 'aud-331124001201',
            date: '2021-03-01',
            title,
            type: 'LECTURE',
            attendance: 3,
          },
        },
        { ...stewardHeaders(['culture:write']), 'Idempotency-Key': title },
      );
    const readyz = () => fetch(url.replace(/\/graphql$/, '/readyz')).then((r) => r.status);
    const filler = join(dir, 'filler');
    // dd stops with an error when the disk is full, which is the point.
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
    } catch {
      // full
    }
    const refused = await write();
    const read = await postGraphQL(url, READ);
    const unavailable = (field: string) => [
      [[field], 'SUBGRAPH_UNAVAILABLE', expect.stringMatching(/out of room or resources/)],
    ];
    const codes = (answer: typeof read) =>
      answer.body.errors?.map((e) => [e.path, e.extensions?.code, e.message]);
    expect(codes(refused)).toEqual(unavailable('recordAuditoriumEvent'));
    // A read fails as the write does when SQLite must grow its index file (-shm) for it; one
    // that finds what it needs in place may answer (seen in a full run): never an internal error.
    // Readiness reads the schema: not ready while reads fail (the -shm could not grow), ready
    // while they are answered (writes then fail on their own, as above).
    if (read.body.errors) {
      expect(codes(read)).toEqual(unavailable('auditoriums'));
      expect(await readyz()).toBe(503);
    } else expect(read.body.data).toMatchObject({ auditoriums: { edges: [{ node: {} }] } });
    rmSync(filler);
    expect(await readyz()).toBe(200);
    const knex = (culture.orm.em.fork() as EntityManager).getKnex();
    expect(await knex('auditorium_event').where({ title }).count({ n: '*' })).toEqual([{ n: 0 }]);
    expect((await write()).body.errors).toBeUndefined();
    expect(await knex('auditorium_event').where({ title }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});
