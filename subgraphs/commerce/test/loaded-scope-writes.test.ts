import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootSubgraph, type BootedSubgraph } from '../../../test/support/subgraph.js';
import type { EntityManager } from '../../shared/database.js';
import { commerceSubgraph } from '../index.js';

/**
 * A store's village must lie in a loaded scope (loaded-scope.ts, villageInLoadedScope): checked
 * against the scopes the subgraph holds, without reading `loaded_scope` for every write, and a
 * scope recorded later (a load by another process) is still seen.
 */
let commerce: BootedSubgraph;

beforeAll(async () => {
  commerce = await bootSubgraph(commerceSubgraph as never, { scopes: ['331124'] });
});
afterAll(() => commerce?.close());

const REGISTER = `mutation($v: ID!) { registerOnlineStore(input: { name: "Tea shop",
  villageCode: $v, platform: JD, category: TEA, openedOn: "2021-01-01", jobs: 1 }) { id } }`;
const register = (village: string) =>
  commerce.write<{ registerOnlineStore: { id: string } | null }>(REGISTER, { v: village });
const scopeReads = () => commerce.sql.statements.filter((s) => /loaded_scope/.test(s)).length;
/** A village of the division list outside the loaded scope (Ningbo's Haishu district). */
const OUTSIDE = '330203009205';

describe('a write naming a village', () => {
  it('reads no loaded scope for a village inside one', async () => {
    commerce.sql.reset();
    for (const village of ['331124001200', '331124001201', '331124001202']) {
      const res = await register(village);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.registerOnlineStore?.id).toMatch(/^store-/);
    }
    expect(commerce.sql.count).toBeGreaterThan(0);
    expect(scopeReads()).toBe(0);
  });

  it('refuses a village outside, and sees a scope recorded since', async () => {
    const refused = await register(OUTSIDE);
    expect(refused.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0].message).toMatch(/not a village of a loaded scope/);
    // Recorded by another process (the seed command): this subgraph has not been told.
    const em = commerce.started.orm.em.fork() as EntityManager;
    await em.getKnex()('loaded_scope').insert({ prefix: '330203', scope: '330203' });
    // Read again at most once a second before a refusal: accepted within a few seconds.
    let res = await register(OUTSIDE);
    for (const deadline = Date.now() + 30_000; res.body.errors && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 250));
      res = await register(OUTSIDE);
    }
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.registerOnlineStore?.id).toMatch(/^store-/);
  });
});
