import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootSubgraph, type BootedSubgraph } from '../../../test/support/subgraph.js';
import { commerceSubgraph } from '../index.js';
import { dataOf, type Data } from './fixtures.js';

let commerce: BootedSubgraph;

beforeAll(async () => {
  commerce = await bootSubgraph(commerceSubgraph as never, { scopes: ['331124'] });
});
afterAll(() => commerce?.close());

const data = dataOf(() => commerce);
const ENTERPRISE = 'ent-331124-huang-jiefei';
const STORES = 'stores(first: 50) { totalCount edges { node { id } } }';

/** A registration of a store of the enterprise, answered with the enterprise's stores. */
const register = (alias: string, jobs: number) =>
  `${alias}: registerOnlineStore(input: { name: "Tea shop ${alias}", villageCode: "331124001201",
    platform: JD, category: TEA, openedOn: "2021-01-01", jobs: ${jobs}, enterpriseId: "${ENTERPRISE}"
  }) { id enterprise { ${STORES} } }`;

describe('commerce writes answer what they wrote', () => {
  it('answers each of two mutation fields of one operation after its own write', async () => {
    const stores = async () =>
      (await data(`{ enterprise(id: "${ENTERPRISE}") { ${STORES} } }`)).enterprise.stores;
    const before = await stores();
    const d = await data(`mutation { ${register('a', 1)} ${register('b', 2)} }`);
    const ids = (s: Data) => s.edges.map((e: Data) => e.node.id).sort();
    // Each answer holds the stores standing once its own write was in: the second field's answer
    // was the first's, read from the loaders before its own write (its store missing).
    expect(d.a.enterprise.stores.totalCount).toBe(before.totalCount + 1);
    expect(ids(d.a.enterprise.stores)).toEqual([...ids(before), d.a.id].sort());
    expect(d.b.enterprise.stores.totalCount).toBe(before.totalCount + 2);
    expect(ids(d.b.enterprise.stores)).toEqual([...ids(before), d.a.id, d.b.id].sort());
    expect(d.b.enterprise.stores).toEqual(await stores());
  });
});
