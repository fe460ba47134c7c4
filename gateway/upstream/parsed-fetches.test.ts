import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileDist } from '../../test/support/processes.js';
import { ParsedFetches } from './parsed-fetches.js';

const MB = 1024 * 1024;

/**
 * Distinct documents whose parsed tree is largest for their text (100–300 times it): one-token
 * fields, nesting, variables. Text is what a caller pays for (tokens, bytes); the tree is what a
 * cache holds.
 */
const WORST: Record<string, string> = {
  fields: "(i) => `query Q${i}{${'id '.repeat(200)}}`",
  nested: "(i) => `query Q${i}{${'a{'.repeat(100)}b${'}'.repeat(100)}}`",
  variables:
    '(i) => `query Q${i}(${Array.from({ length: 100 }, (_, j) => `$v${j}:I`).join(" ")}){a}`',
};

/**
 * Fills a cache bounded at `bound` bytes with 3,000 documents made by `make` in a process of its
 * own (the compiled module, `node --expose-gc`), and reads the heap's growth with the cache alive
 * once collections stop freeing anything. Measured in the test worker's heap, which earlier test
 * files share (isolate: false), their leftovers freed during the measurement made the cache seem
 * to hold 0.34 of its bound, however many collections were awaited; alone it holds 0.75-0.95.
 */
async function measure(make: string, bound: number) {
  const script = `
    import { ParsedFetches } from './dist/gateway/upstream/parsed-fetches.js';
    const heap = () => {
      let last = Infinity;
      for (let i = 0; i < 12; i += 1) {
        gc();
        const now = process.memoryUsage().heapUsed;
        if (last - now < 64 * 1024) return now;
        last = now;
      }
      return last;
    };
    const make = ${make};
    const cache = new ParsedFetches(100_000, ${bound});
    const before = heap();
    for (let i = 0; i < 3000; i += 1) cache.get(make(i));
    const held = heap() - before;
    process.stdout.write(JSON.stringify({ held, weight: cache.weight, size: cache.size }));`;
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--expose-gc',
    '--input-type=module',
    '-e',
    script,
  ]);
  return JSON.parse(stdout) as { held: number; weight: number; size: number };
}

describe('parsed fetches', () => {
  beforeAll(async () => {
    expect(await compileDist()).toBeUndefined();
  });

  for (const [shape, make] of Object.entries(WORST)) {
    it(`hold no more than their bound in memory, filled with worst-case documents (${shape})`, async () => {
      const bound = 4 * MB;
      const { held, weight, size } = await measure(make, bound);
      expect(weight).toBeLessThanOrEqual(bound);
      // What the entries really hold (the heap's growth with the cache alive) stays near the
      // bound: below it with a little room for the measurement, and not far under it either
      // (the weight follows the tree; it does not overcharge tenfold).
      expect(held / bound).toBeLessThan(1.25);
      expect(held / bound).toBeGreaterThan(0.4);
      expect(size).toBeGreaterThan(10);
    });
  }

  it('gives the same document for the same text, and throws for text that does not parse', () => {
    const cache = new ParsedFetches();
    expect(cache.get('{ a }')).toBe(cache.get('{ a }'));
    expect(() => cache.get('{ a')).toThrow();
    expect(cache.size).toBe(1);
  });
});
