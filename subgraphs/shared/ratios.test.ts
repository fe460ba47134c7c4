import { describe, expect, it } from 'vitest';
import { shareOf } from './ratios.js';

describe('shareOf', () => {
  it('rounds an exact half up, which the quotient of two doubles loses', () => {
    // The quotient first, as coverage percentages and healthcare shares were rounded before:
    expect(Math.round((201 / 400) * 1000) / 10).toBe(50.2);
    expect(Math.round((57 / 800) * 10_000) / 10_000).toBe(0.0712);
    expect(shareOf(201 * 100, 400, 1)).toBe(50.3);
    expect(shareOf(203 * 100, 400, 1)).toBe(50.8);
    expect(shareOf(57, 800)).toBe(0.0713);
  });

  it('rounds other values to the nearest, and is null without a whole', () => {
    expect(shareOf(1, 3)).toBe(0.3333);
    expect(shareOf(2, 3)).toBe(0.6667);
    expect(shareOf(0, 7)).toBe(0);
    expect(shareOf(7, 7)).toBe(1);
    expect(shareOf(913 * 100, 1000, 1)).toBe(91.3);
    expect(shareOf(5, 0)).toBeNull();
  });
});
