import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootSubgraph, type BootedSubgraph } from '../../../test/support/subgraph.js';
import { placesSubgraph } from '../index.js';

// Two townships whose division names hold Latin letters: 温泉花园A区…/B区… (Beijing) and
// 长shan村委会, 白shan掌村委会 (Shanxi).
let places: BootedSubgraph;

beforeAll(async () => {
  places = await bootSubgraph(placesSubgraph as never, { scopes: ['110114115', '140524101'] });
});
afterAll(() => places?.close());

interface Page {
  totalCount: number;
  edges: { node: { name: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

async function page(text: string, first: number, after: string | null = null): Promise<Page> {
  const res = await places.query<{ villages: Page }>(
    `query($text: String, $first: Int, $after: String) {
      villages(filter: { nameContains: $text }, first: $first, after: $after) {
        totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }`,
    { text, first, after },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.villages;
}

/** The names a filter finds; its totalCount counts the same. */
async function named(text: string): Promise<string[]> {
  const { totalCount, edges } = await page(text, 100);
  expect(totalCount).toBe(edges.length);
  return edges.map((e) => e.node.name);
}

describe('villages(filter: { nameContains })', () => {
  it('answers the names that hold the text as given, on every database', async () => {
    expect(await named('A区')).toEqual(['温泉花园A区社区居委会']);
    // A substring of the name: a letter of another case is another text.
    expect(await named('a区')).toEqual([]);
    expect(await named('SHAN')).toEqual([]);
    expect(await named('shan')).toEqual(['长shan村委会']);
  });

  it('matches %, _ and \\ as themselves, not as patterns', async () => {
    for (const text of ['%', '_', '\\', 'A_', '花园%区', '\\%'])
      expect(await named(text)).toEqual([]);
    expect(await named('花园A')).toEqual(['温泉花园A区社区居委会']);
  });

  it('pages through the names found', async () => {
    const first = await page('温泉花园', 1);
    expect(first).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    expect(first.edges.map((e) => e.node.name)).toEqual(['温泉花园A区社区居委会']);
    const second = await page('温泉花园', 1, first.pageInfo.endCursor);
    expect(second).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: false } });
    expect(second.edges.map((e) => e.node.name)).toEqual(['温泉花园B区社区居委会']);
  });
});
