import { describe, expect, it } from 'vitest';
import { readDivisionCodes, readDivisions, type DivisionFile } from './divisions.js';

describe('readDivisionCodes', () => {
  it.each<DivisionFile>(['provinces', 'cities', 'areas', 'streets', 'villages'])(
    'reads the same codes from %s as the full parser',
    async (file) => {
      const parsed: number[] = [];
      for await (const row of readDivisions(file)) parsed.push(Number(row.code));
      const codes = await readDivisionCodes(file);
      expect(codes.length).toBe(parsed.length);
      expect(codes).toEqual(parsed);
    },
    60_000,
  );
});
