import { describe, expect, it } from 'vitest';
import { copyLines, copyValue } from './bulk.js';

describe('COPY text', () => {
  it('escapes what COPY reads specially and writes every other value as it is', () => {
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue(undefined)).toBe('\\N');
    expect(copyValue(12)).toBe('12');
    expect(copyValue(-0.5)).toBe('-0.5');
    expect(copyValue(12n)).toBe('12');
    expect(copyValue(true)).toBe('t');
    expect(copyValue(false)).toBe('f');
    expect(copyValue(new Date('2026-12-04T00:00:00Z'))).toBe('2026-12-04T00:00:00.000Z');
    expect(copyValue('plain 村 🍵')).toBe('plain 村 🍵');
    expect(copyValue('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyValue('\\N')).toBe('\\\\N');
    expect(copyValue({ toString: () => 'x\ty' })).toBe('x\\ty');
  });

  it('writes one line per row, columns in the order given, 1,000 rows a chunk', () => {
    const many = Array.from({ length: 2001 }, (_, i) => ({ b: i, a: `r${i}` }));
    const chunks = [...copyLines(['a', 'b'], many)];
    expect(chunks).toHaveLength(3);
    expect(chunks[0].split('\n')).toHaveLength(1001);
    expect(chunks[0].startsWith('r0\t0\nr1\t1\n')).toBe(true);
    expect(chunks[2]).toBe('r2000\t2000\n');
    expect([...copyLines(['a'], [])]).toEqual([]);
  });
});
