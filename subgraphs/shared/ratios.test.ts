import { describe, expect, it } from 'vitest';
import { componentOf, ratioOf, roundedQuotient, shareOf } from './ratios.js';

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

describe('componentOf', () => {
  it('rounds an exact half up where the capped quotient of doubles rounded it down', () => {
    const capped = (x: number) => Math.round(Math.min(1, Math.max(0, x)) * 10_000) / 10_000;
    expect(capped(201 / 800)).toBe(0.2512);
    expect(componentOf(201, 800)).toBe(0.2513);
    // Culture usage: 171 visits in 4 reports ÷ 600; commerce revenue in fen ÷ 1,000,000 yuan.
    expect(capped(171 / 4 / 600)).toBe(0.0712);
    expect(componentOf(171, 4 * 600)).toBe(0.0713);
    expect(componentOf(25_125_000n, 100_000_000n)).toBe(0.2513);
  });

  it('is clamped to [0, 1] and 0 without a whole; exact for amounts past 2^53 fen', () => {
    expect(componentOf(3, 2)).toBe(1);
    expect(componentOf(-1, 2)).toBe(0);
    expect(componentOf(5, 0)).toBe(0);
    expect(componentOf(2n ** 60n + 1n, 2n ** 62n)).toBe(0.25);
    expect(componentOf(1, 3)).toBe(0.3333);
  });
});

describe('ratioOf and roundedQuotient', () => {
  it('round an exact half up, and refuse a non-integer input', () => {
    expect(ratioOf(1, 8, 2)).toBe(0.13);
    expect(ratioOf(1, 0)).toBeNull();
    expect(() => ratioOf(0.5, 3)).toThrow(RangeError);
    expect(roundedQuotient(5n, 2n)).toBe(3n);
    expect(roundedQuotient(2n, 3n)).toBe(1n);
    expect(roundedQuotient(4n, 3n)).toBe(1n);
    expect(roundedQuotient(-5n, 2n)).toBe(-2n);
    expect(roundedQuotient(-7n, 3n)).toBe(-2n);
  });
});
