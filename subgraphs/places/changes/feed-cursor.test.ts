import { describe, expect, it } from 'vitest';
import { checkWithin, rowStamp, type OutboxRow } from './change-feed.js';
import { decodeCursor, encodeCursor } from './feed-cursor.js';

const row: OutboxRow = {
  id: 13,
  villageCode: '331124001200',
  regionCode: null,
  what: 'auditoriumUsage',
  changedAt: '2026-12-03T10:00:01.000Z',
};
const positions = { culture: 12, healthcare: 0, commerce: 3 };
const stamps = { culture: 'AbCd_-12', healthcare: '', commerce: 'XyZ-_987' };
const within = { stamp: rowStamp(row), after: '331124001207' };
const v4 = (text: string) => 'v4.' + Buffer.from(text).toString('base64url');

describe('a cursor that ends within a change (v4)', () => {
  it('round-trips where it ended, in the first generations and later ones', () => {
    const cursor = encodeCursor({ positions, stamps, within });
    expect(cursor.startsWith('v4.')).toBe(true);
    const generations = { culture: '', healthcare: '', commerce: '' };
    expect(decodeCursor(cursor)).toEqual({ positions, stamps, generations, within });
    const later = { ...generations, culture: 'QwErTy12' };
    const again = encodeCursor({ positions, stamps, generations: later, within });
    expect(decodeCursor(again)).toEqual({ positions, stamps, generations: later, within });
    // Without it, the cursors handed out before are unchanged.
    expect(encodeCursor({ positions, stamps }).startsWith('v2.')).toBe(true);
  });

  it('refuses any other spelling of one', () => {
    const head = `12.0.3~${stamps.culture}..${stamps.commerce}~..`;
    for (const bad of [
      v4(head),
      v4(`${head}~`),
      v4(`${head}~${within.stamp}`),
      v4(`${head}~${within.stamp}.`),
      v4(`${head}~short.331124001207`),
      v4(`${head}~${within.stamp}.3311 24`),
      v4(`${head}~${within.stamp}.331124001207.1`),
      v4(`${head}~${within.stamp}.331124001207~x`),
      'v3.' + Buffer.from(`${head}~${within.stamp}.331124001207`).toString('base64url'),
    ]) {
      expect(() => decodeCursor(bad), bad).toThrow(/not a cursor/);
    }
    expect(decodeCursor(v4(`${head}~${within.stamp}.331124001207`)).within).toEqual(within);
  });

  it('refuses one whose change is not the next culture row any more: culture was restored', () => {
    expect(() => checkWithin(within, row, false)).not.toThrow();
    for (const next of [{ ...row, what: 'auditoriumEvent' }, { ...row, id: 14 }, undefined]) {
      expect(() => checkWithin(within, next, false)).toThrow(/restored/);
    }
    // A read replica behind the position: checked once it has caught up.
    expect(() => checkWithin(within, undefined, true)).not.toThrow();
    expect(() => checkWithin(undefined, undefined, false)).not.toThrow();
  });
});
