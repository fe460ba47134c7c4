import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDist } from './support/processes.js';
import { bootStack, type Stack } from './support/stack.js';

/**
 * Every subgraph loaded with Songyang (331124); then another process (the seed command) loads
 * Yunhe (331125) into places' database while places serves. Places tells the domains its scopes
 * (Region.loadedScopes) from what it read at start: the new scope must reach them, or they
 * would go on answering Lishui and Zhejiang with Songyang's figures as if they were whole.
 */
const SONGYANG = '331124';

let stack: Stack;

beforeAll(async () => {
  [stack] = await Promise.all([bootStack({ scopes: [SONGYANG] }), compileDist()]);
});

afterAll(async () => {
  await stack?.close();
});

type Errors = { path?: (string | number)[]; extensions?: { code?: unknown } }[] | undefined;
const codesAt = (errors: Errors) =>
  Object.fromEntries((errors ?? []).map((e) => [e.path?.join('.'), e.extensions?.code]));

/** The URL of places' database, as its own ORM was opened with. */
function placesDatabaseUrl(): string {
  const config = stack.subgraphs.places.started.orm.config;
  const client = config.get('clientUrl');
  return client ? String(client) : `sqlite:${String(config.get('dbName'))}`;
}

describe('a scope loaded into places by another process', () => {
  it('reaches the domains: a region above their scope is refused once places holds more', async () => {
    const query = `{ region(code: "33") { culture { coverage } commerce { stores { total } } } }`;
    const before = await stack.query(query);
    expect(before.body.errors).toBeUndefined();
    expect(before.body.data?.region).toMatchObject({ culture: { coverage: expect.any(Number) } });

    await promisify(execFile)(
      process.execPath,
      ['dist/scripts/seed-subgraph.js', '--subgraph', 'places', '--scope', '331125'],
      {
        env: { PATH: process.env.PATH, PLACES_DATABASE_URL: placesDatabaseUrl() },
        timeout: 120_000,
      },
    );

    // Places reads its scopes again when they no longer account for a region's villages.
    let after = await stack.query(query);
    for (let i = 0; i < 20 && !after.body.errors; i++) {
      await new Promise((r) => setTimeout(r, 250));
      after = await stack.query(query);
    }
    expect(after.body.data?.region).toEqual({ culture: null, commerce: null });
    expect(codesAt(after.body.errors)).toEqual({
      'region.culture': 'NOT_LOADED',
      'region.commerce': 'NOT_LOADED',
    });
    // Songyang itself is answered as before.
    const own = await stack.query(`{ region(code: "${SONGYANG}") { culture { coverage } } }`);
    expect(own.body.errors).toBeUndefined();
  });
});
