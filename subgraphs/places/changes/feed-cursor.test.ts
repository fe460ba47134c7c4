import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkWithin, rowStamp, type OutboxRow } from './change-feed.js';
import { cursorKeys, decodeCursor, encodeCursor } from './feed-cursor.js';

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
const keys = cursorKeys(['k'.repeat(32)]);
const key = keys[0];
const generations = { culture: '', healthcare: '', commerce: '' };
/** `cursor`'s text decoded, edited by `edit`, and encoded again (its MAC kept). */
const edited = (cursor: string, edit: (text: string) => string) =>
  'v5.' +
  Buffer.from(edit(Buffer.from(cursor.slice(3), 'base64url').toString())).toString('base64url');

describe('a cursor that ends within a change (v5, signed)', () => {
  it('round-trips where it ended, in the first generations and later ones', () => {
    const cursor = encodeCursor({ positions, stamps, within, key });
    expect(cursor.startsWith('v5.')).toBe(true);
    expect(decodeCursor(cursor, keys)).toEqual({ positions, stamps, generations, within });
    const later = { ...generations, culture: 'QwErTy12' };
    const again = encodeCursor({ positions, stamps, generations: later, within, key });
    expect(decodeCursor(again, keys)).toEqual({ positions, stamps, generations: later, within });
    // Without it, the cursors handed out before are unchanged.
    expect(encodeCursor({ positions, stamps, key }).startsWith('v2.')).toBe(true);
  });

  it('is refused once any part of it is edited, or under another key', () => {
    const cursor = encodeCursor({ positions, stamps, within, key });
    for (const edit of [
      (t: string) => t.replace('.331124001207~', '.331124001299~'),
      (t: string) => t.replace('.331124001207~', '.331124001206~'),
      (t: string) => t.replace('12.0.3~', '12.0.4~'),
      (t: string) => t.replace(within.stamp, 'AAAAAAAA'),
      (t: string) => t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A'),
      (t: string) => t.slice(0, t.lastIndexOf('~')),
    ]) {
      const bad = edited(cursor, edit);
      expect(bad).not.toBe(cursor);
      expect(() => decodeCursor(bad, keys), bad).toThrow(/was changed after this feed/);
    }
    expect(() => decodeCursor(cursor)).toThrow(/was changed after this feed/);
    expect(() => decodeCursor(cursor, cursorKeys(['o'.repeat(32)]))).toThrow(/was changed/);
    // The previous key while it is rotated: still read.
    const rotated = cursorKeys(['n'.repeat(32), 'k'.repeat(32)]);
    expect(decodeCursor(cursor, rotated).within).toEqual(within);
    // The same key gives the same cursor (a restart, another replica).
    expect(encodeCursor({ positions, stamps, within, key: cursorKeys(['k'.repeat(32)])[0] })).toBe(
      cursor,
    );
  });

  it('refuses any other spelling of one, signed or not', () => {
    const head = `12.0.3~${stamps.culture}..${stamps.commerce}~..`;
    const bads = [
      head,
      `${head}~`,
      `${head}~${within.stamp}`,
      `${head}~${within.stamp}.`,
      `${head}~short.331124001207`,
      `${head}~${within.stamp}.3311 24`,
      `${head}~${within.stamp}.331124001207.1`,
      `${head}~${within.stamp}.331124001207~x`,
    ];
    for (const bad of bads) expect(() => decodeCursor(v4(bad)), bad).toThrow(/not a cursor/);
    const macOf = (t: string) =>
      createHmac('sha256', key).update(`v5.${t}`).digest('base64url').slice(0, 22);
    const sign = (t: string) => 'v5.' + Buffer.from(`${t}~${macOf(t)}`).toString('base64url');
    for (const bad of bads)
      expect(() => decodeCursor(sign(bad), keys), bad).toThrow(/not a cursor/);
    const good = `${head}~${within.stamp}.331124001207`;
    expect(decodeCursor(sign(good), keys).within).toEqual(within);
    expect(() => decodeCursor('v3.' + Buffer.from(good).toString('base64url'))).toThrow(
      /not a cursor/,
    );
  });

  it('reads an unsigned one (v4, handed out before) from the start of its change', () => {
    const old = encodeCursor({ positions, stamps, within });
    expect(old).toBe(
      v4(`12.0.3~${stamps.culture}..${stamps.commerce}~..~${within.stamp}.331124001207`),
    );
    // Its culture position is before the change: the next page gives all of it again.
    expect(decodeCursor(old, keys)).toEqual({ positions, stamps, generations });
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
