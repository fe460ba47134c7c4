import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cultureSubgraph } from '../subgraphs/culture/index.js';
import { bootSubgraph, type BootedSubgraph } from './support/subgraph.js';

/**
 * A subgraph's SQLite file deleted under it (a clean-up script, a volume re-created): SQLite
 * goes on with the file it has open, so reads and writes still succeed, and /readyz answered
 * 200 — but what is written now is lost at the next start, which begins on an empty database.
 * /readyz now answers 503 once the file at the configured path is not the one open.
 */
describe('culture on SQLite, its database file deleted while it runs', () => {
  let culture: BootedSubgraph;
  beforeAll(async () => {
    culture = await bootSubgraph(cultureSubgraph as never, {
      scopes: ['331124'],
      engine: 'sqlite',
    });
  });
  afterAll(() => culture?.close());

  it('says not ready', async () => {
    const readyz = () =>
      fetch(culture.url.replace(/\/graphql$/, '/readyz')).then(async (r) => [
        r.status,
        await r.json(),
      ]);
    expect(await readyz()).toEqual([200, { status: 'ready' }]);
    const file = culture.started.orm.config.get('dbName')!;
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    expect(await readyz()).toEqual([503, { status: 'unavailable' }]);
  });
});
