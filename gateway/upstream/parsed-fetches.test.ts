import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ParsedFetches } from './parsed-fetches.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * The heap once collections stop freeing anything. Test files share their worker's heap
 * (isolate: false): in a full run, earlier files' leftovers still being freed over the next
 * collections (V8 also flushes idle bytecode over several) shrank the heap under the cache, which
 * held 0.34 of its bound by the old count of two collections; alone it holds 0.76-0.95.
 */
function heapAfterGc(): number {
  let heap = Infinity;
  for (let i = 0; i < 12; i += 1) {
    gc();
    const now = process.memoryUsage().heapUsed;
    if (heap - now < 64 * 1024) return now;
    heap = now;
  }
  return heap;
}

const MB = 1024 * 1024;

/**
 * Distinct documents whose parsed tree is largest for their text (100–300 times it): one-token
 * fields, nesting, variables. Text is what a caller pays for (tokens, bytes); the tree is what a
 * cache holds.
 */
const WORST: Record<string, (i: number) => string> = {
  fields: (i) => `query Q${i}{${'id '.repeat(200)}}`,
  nested: (i) => `query Q${i}{${'a{'.repeat(100)}b${'}'.repeat(100)}}`,
  variables: (i) =>
    `query Q${i}(${Array.from({ length: 100 }, (_, j) => `$v${j}:I`).join(' ')}){a}`,
};

describe('parsed fetches', () => {
  for (const [shape, make] of Object.entries(WORST)) {
    it(`hold no more than their bound in memory, filled with worst-case documents (${shape})`, () => {
      const bound = 4 * MB;
      const cache = new ParsedFetches(100_000, bound);
      const before = heapAfterGc();
      for (let i = 0; i < 3000; i += 1) cache.get(make(i));
      const held = heapAfterGc() - before;
      expect(cache.weight).toBeLessThanOrEqual(bound);
      // What the entries really hold (the heap's growth with the cache alive) stays near the
      // bound: below it with a little room for the measurement, and not far under it either
      // (the weight follows the tree; it does not overcharge tenfold).
      expect(held / bound).toBeLessThan(1.25);
      expect(held / bound).toBeGreaterThan(0.4);
      expect(cache.size).toBeGreaterThan(10);
    });
  }

  it('gives the same document for the same text, and throws for text that does not parse', () => {
    const cache = new ParsedFetches();
    expect(cache.get('{ a }')).toBe(cache.get('{ a }'));
    expect(() => cache.get('{ a')).toThrow();
    expect(cache.size).toBe(1);
  });
});
