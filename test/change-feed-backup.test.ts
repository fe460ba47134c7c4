import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../gateway/auth/keys.js';
import { loadGatewayConfig } from '../gateway/config.js';
import { createGateway, type RunningGateway } from '../gateway/gateway.js';
import { startTopology, type Topology } from '../scripts/topology.js';
import { dropDatabase, withDatabase } from '../subgraphs/shared/pg-admin.js';
import { TEST_POSTGRES_URL } from './support/databases.js';
import { exportAll } from './support/exports.js';
import { FEED, type Page } from './support/change-feed.js';
import { postGraphQL } from './support/subgraph.js';
import { USAGE } from './support/writes.js';

/**
 * A domain database restored from a real backup (the SQLite file copied while culture is
 * stopped, or pg_dump / pg_restore) after a partner exported a change the backup does not hold:
 * the partner's cursor, taken before the export as its loop says, is behind the change and still
 * points at rows the restored outbox holds as they were. It must be refused, not read on.
 */
const VILLAGE = '331124001200';
const dir = mkdtempSync(join(tmpdir(), 'rdsg-feed-backup-'));
const prefix = `t_fbk_${randomBytes(3).toString('hex')}_`;
let topology: Topology;
let gateway: RunningGateway;
let steward: Record<string, string>;
let graphql: string;

beforeAll(async () => {
  topology = await startTopology({
    scope: '331124',
    gateways: 0,
    dataDir: dir,
    postgresUrl: TEST_POSTGRES_URL,
    databasePrefix: prefix,
    stdio: 'ignore',
    env: { LOG_LEVEL: 'warn' },
  });
  const keysPath = join(dir, 'keys.json');
  const created = await new FileKeyStore(keysPath, 0).create({
    name: 'steward',
    owner: 'tests',
    scopes: ['culture:write'],
  });
  steward = { 'x-api-key': created.key };
  const url = (n: 'places' | 'culture' | 'healthcare' | 'commerce') => topology.subgraphs[n].url;
  gateway = await createGateway(
    loadGatewayConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      PLACES_URL: url('places'),
      CULTURE_URL: url('culture'),
      HEALTHCARE_URL: url('healthcare'),
      COMMERCE_URL: url('commerce'),
      ANONYMOUS_RATE_LIMIT_PER_MINUTE: '0',
      ANONYMOUS_DAILY_QUOTA: '0',
      KEYS_PATH: keysPath,
      SUPERGRAPH_WATCH: 'false',
      RESPONSE_CACHE: 'off',
    }),
    pino({ level: 'silent' }),
  ).listen();
  graphql = `http://127.0.0.1:${gateway.port}/graphql`;
}, 240_000);

afterAll(async () => {
  await gateway?.close();
  await topology?.stop();
  if (TEST_POSTGRES_URL) {
    for (const name of ['places', 'culture', 'healthcare', 'commerce'])
      await dropDatabase(TEST_POSTGRES_URL, `${prefix}${name}`);
  }
  rmSync(dir, { recursive: true, force: true });
});

async function feed(since: string | null) {
  return postGraphQL<{ villageChanges: Page }>(graphql, FEED, { since, first: 100 });
}

async function reportUsage(month: string) {
  const res = await postGraphQL(
    graphql,
    USAGE,
    {
      i: {
        auditoriumId: `aud-${VILLAGE}`,
        month,
        visits: 7,
        resourceViews: 1,
        assistedSessions: { medicalAppointment: 0, socialInsurance: 0, eGovernment: 0, other: 0 },
      },
    },
    steward,
  );
  expect(res.body.errors).toBeUndefined();
}

/** Culture stopped, `fn` run on its database, culture started again. */
async function withCultureStopped(fn: () => void) {
  const culture = topology.processOf('culture');
  culture.kill('SIGTERM');
  if (culture.exitCode === null) await new Promise((r) => culture.once('exit', r));
  fn();
  await topology.restart('culture');
}

const file = () => topology.subgraphs.culture.databaseUrl.replace(/^sqlite:/, '');
const backupPath = join(dir, 'culture.backup');

function backUp() {
  if (TEST_POSTGRES_URL) {
    execFileSync('pg_dump', ['-Fc', '-f', backupPath, topology.subgraphs.culture.databaseUrl]);
  } else {
    copyFileSync(file(), backupPath);
  }
}

function restore() {
  if (TEST_POSTGRES_URL) {
    const name = `${prefix}culture`;
    const admin = withDatabase(TEST_POSTGRES_URL, 'postgres');
    execFileSync('psql', [admin, '-qc', `drop database "${name}" with (force)`]);
    execFileSync('psql', [
      admin,
      '-qc',
      `create database "${name}" template template0 lc_collate 'C'`,
    ]);
    execFileSync('pg_restore', ['-d', topology.subgraphs.culture.databaseUrl, backupPath]);
  } else {
    for (const extra of ['-wal', '-shm']) if (existsSync(file() + extra)) rmSync(file() + extra);
    copyFileSync(backupPath, file());
  }
}

describe('a domain restored from a backup behind what a partner exported', () => {
  it("refuses the partner's cursor, and reads on with a new one", async () => {
    await reportUsage('2021-01');
    const position = (await feed(null)).body.data!.villageChanges.pageInfo.endCursor;
    await withCultureStopped(backUp);
    // After the backup: a change, and the partner's export of the village shows it.
    await reportUsage('2021-02');
    const exported = await exportAll(new URL(graphql).origin, {
      codes: [VILLAGE],
      selection: '{ code name }',
    });
    expect(exported.lines.at(-1)).toEqual({ done: true, count: 1 });
    await withCultureStopped(restore);

    // The partner reads on from its position: the change it exported is gone from culture.
    const refused = await feed(position);
    expect(refused.body.data?.villageChanges ?? null).toBeNull();
    expect(refused.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/restored or reloaded to an earlier state.*export again/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    // Still refused after more writes (the generation is kept in places' database).
    await reportUsage('2021-03');
    expect((await feed(position)).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    // A new position reads on: the next change, and nothing else.
    const fresh = (await feed(null)).body.data!.villageChanges.pageInfo.endCursor;
    await reportUsage('2021-04');
    const next = await feed(fresh);
    expect(next.body.errors).toBeUndefined();
    expect(next.body.data!.villageChanges.nodes.map((n) => n.villageCode)).toContain(VILLAGE);
  }, 240_000);
});
