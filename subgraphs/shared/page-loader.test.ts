import { describe, expect, it } from 'vitest';
import { pageLoader, type PageKey } from './page-loader.js';

interface Key extends PageKey {
  shelf: string;
  kind?: string;
}

/** Books of shelves a and b, in id order; a page is read by one call of `rows` per group. */
function shelves() {
  const books = ['a1', 'a2', 'a3', 'b1', 'b2', 'x1'].map((id) => ({ shelf: id[0], id }));
  const calls: Key[][] = [];
  const loader = pageLoader<Key, string>({
    parent: (k) => k.shelf,
    shape: (k) => k.kind ?? '',
    rows: async (group) => {
      calls.push(group);
      const { limit, after, kind } = group[0];
      const asked = new Set(group.map((k) => k.shelf));
      const found = books.filter((b) => asked.has(b.shelf) && b.id > (after ?? ''));
      const ofKind = found.filter((b) => !kind || b.id.endsWith(kind));
      return ofKind
        .filter((b) => ofKind.filter((o) => o.shelf === b.shelf).indexOf(b) <= limit)
        .map((b) => [b.shelf, b.id] as const);
    },
  });
  return { loader, calls };
}

describe('pageLoader', () => {
  it('reads one statement per distinct page for all parents asking for it', async () => {
    const { loader, calls } = shelves();
    const pages = await Promise.all([
      loader.load({ shelf: 'a', limit: 1, after: null }),
      loader.load({ shelf: 'b', limit: 1, after: null }),
      loader.load({ shelf: 'c', limit: 1, after: null }),
    ]);
    expect(pages).toEqual([['a1', 'a2'], ['b1', 'b2'], []]);
    expect(calls).toHaveLength(1);
  });

  it('answers a parent asked with two pages in one batch each page its own items', async () => {
    const { loader, calls } = shelves();
    const pages = await Promise.all([
      loader.load({ shelf: 'a', limit: 1, after: null }),
      loader.load({ shelf: 'a', limit: 5, after: null }),
      loader.load({ shelf: 'a', limit: 5, after: 'a1' }),
      loader.load({ shelf: 'a', limit: 5, after: null, kind: '3' }),
    ]);
    expect(pages).toEqual([['a1', 'a2'], ['a1', 'a2', 'a3'], ['a2', 'a3'], ['a3']]);
    expect(calls).toHaveLength(4);
  });
});
