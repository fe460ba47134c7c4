import { describe, expect, it } from 'vitest';
import {
  checkStamps,
  checkWithinEnds,
  decodeCursor,
  encodeCursor,
  encodePositions,
  rowStamp,
  mergePage,
  type FeedDomain,
  type Outbox,
  type OutboxRow,
} from './change-feed.js';

const row = (id: number, villageCode: string | null, changedAt: string, what = 'w'): OutboxRow => ({
  id,
  villageCode,
  regionCode: null,
  what,
  changedAt,
});
const box = (rows: OutboxRow[], end = rows.at(-1)?.id ?? 0): Outbox => ({ rows, end });
const empty = box([]);
const at = (s: number) => `2026-12-03T10:00:${String(s).padStart(2, '0')}.000Z`;
const start = { culture: 0, healthcare: 0, commerce: 0 };

describe('change feed cursor', () => {
  it('round-trips positions and refuses anything else', () => {
    const p = { culture: 12, healthcare: 0, commerce: 2_147_483_647 };
    expect(decodeCursor(encodePositions(p)).positions).toEqual(p);
    for (const bad of [
      '',
      'v1.',
      'v2.' + Buffer.from('1.2.3').toString('base64url'),
      'v1.' + Buffer.from('1.2').toString('base64url'),
      'v1.' + Buffer.from('1.-2.3').toString('base64url'),
      'v1.' + Buffer.from('1.2.99999999999').toString('base64url'),
      'v1.' + 'A'.repeat(500),
      // Other spellings of a cursor it hands out: padding, stray characters, leading zeros.
      'v1.' + Buffer.from('0.0.0').toString('base64url') + '====',
      'v1.' + Buffer.from('0.0.0').toString('base64url') + '!!',
      'v1.' + Buffer.from('01.0.0').toString('base64url'),
    ]) {
      expect(() => decodeCursor(bad), bad).toThrow(/not a cursor/);
    }
  });

  it('refuses positions past where an outbox ends: they would skip its changes', () => {
    const outboxes = (culture: number) => ({
      culture: { rows: [], end: culture },
      healthcare: { rows: [], end: 5 },
      commerce: { rows: [], end: 0 },
    });
    const from = { culture: 17, healthcare: 5, commerce: 0 };
    expect(() => checkWithinEnds(from, outboxes(17))).not.toThrow();
    expect(() => checkWithinEnds(from, outboxes(16))).toThrow(/restored or reloaded/);
    expect(() => checkWithinEnds({ ...from, commerce: 1 }, outboxes(17))).toThrow(/export again/);
  });
});

describe('change feed cursor stamps', () => {
  const r = row(12, 'A', at(1));
  const positions = { culture: 12, healthcare: 0, commerce: 3 };
  const stamps = { culture: rowStamp(r), healthcare: '', commerce: rowStamp(row(3, 'B', at(2))) };
  const v2 = (text: string) => 'v2.' + Buffer.from(text).toString('base64url');

  it('round-trips positions with stamps, and reads a first-version cursor without them', () => {
    expect(decodeCursor(encodeCursor({ positions, stamps }))).toEqual({ positions, stamps });
    expect(decodeCursor(encodePositions(positions))).toEqual({ positions });
    for (const bad of [
      v2('12.0.3'),
      v2(`12.0.3~${stamps.culture}..`),
      v2(`12.0.3~${stamps.culture}.${stamps.culture}.${stamps.commerce}`),
      v2(`12.0.3~${stamps.culture}.~${stamps.commerce}`),
      v2(`12.0.3~short..${stamps.commerce}`),
      'v1.' + Buffer.from(`12.0.3~${stamps.culture}..${stamps.commerce}`).toString('base64url'),
    ]) {
      expect(() => decodeCursor(bad), bad).toThrow(/not a cursor/);
    }
  });

  it('carries the generations once a restore was noticed (v3), and refuses a malformed one', () => {
    const generations = { culture: 'AbCd_-12', healthcare: '', commerce: '' };
    const v3 = encodeCursor({ positions, stamps, generations });
    expect(v3.startsWith('v3.')).toBe(true);
    expect(decodeCursor(v3)).toEqual({ positions, stamps, generations });
    const text = Buffer.from(v3.slice(3), 'base64url').toString('utf8');
    for (const gens of ['short..', 'AbCd_-12.', '..', 'AbCd_-12..~x']) {
      const bad = 'v3.' + Buffer.from(text.replace(/~[^~]*$/, `~${gens}`)).toString('base64url');
      expect(() => decodeCursor(bad), gens).toThrow(/not a cursor/);
    }
  });

  it('refuses a position whose row is another change now: the outbox was restored', () => {
    const cursor = { positions, stamps };
    const same = { culture: r, healthcare: undefined, commerce: row(3, 'B', at(2)) };
    expect(checkStamps(cursor, same)).toEqual(stamps);
    // Id 12 handed out anew after a restore, to another change (another time, another village).
    for (const other of [row(12, 'A', at(7)), row(12, 'C', at(1)), undefined]) {
      expect(() => checkStamps(cursor, { ...same, culture: other })).toThrow(/restored/);
    }
    // A first-version cursor: only the row's presence is checked; the stamps are answered.
    expect(checkStamps({ positions }, same)).toEqual(stamps);
    expect(() => checkStamps({ positions }, { ...same, commerce: undefined })).toThrow(/restored/);
  });

  it('gives the stamp of the last row taken of each domain that moved', () => {
    const outboxes = {
      culture: box([row(13, 'A', at(3)), row(14, 'B', at(4))]),
      healthcare: empty,
      commerce: empty,
    };
    const page = mergePage(positions, outboxes, 1, { culture: 1, healthcare: 1, commerce: 1 });
    expect(page.positions.culture).toBe(13);
    expect(page.last).toEqual({ culture: rowStamp(row(13, 'A', at(3))) });
    expect(page.more).toBe(true);
  });
});

describe('change feed page', () => {
  it('merges the domains by time and moves each position over what it returned only', () => {
    const outboxes: Record<FeedDomain, Outbox> = {
      culture: box([row(1, 'A', at(3)), row(2, 'B', at(6))]),
      healthcare: box([row(7, 'C', at(1)), row(8, 'D', at(5))]),
      commerce: empty,
    };
    const page = mergePage(start, outboxes, 3, 10);
    expect(page.changes.map((c) => c.villageCode)).toEqual(['C', 'A', 'D']);
    expect(page.positions).toEqual({ culture: 1, healthcare: 8, commerce: 0 });
    expect(page.more).toBe(true);
    const rest = mergePage(
      page.positions,
      { ...outboxes, culture: box([row(2, 'B', at(6))]), healthcare: empty },
      3,
      10,
    );
    expect(rest.changes.map((c) => c.villageCode)).toEqual(['B']);
    expect(rest.more).toBe(false);
  });

  it('never passes over a row of a domain, whatever its clock said', () => {
    // Row 2 was written with a clock behind row 1's: it still comes after row 1.
    const outboxes = {
      culture: box([row(1, 'A', at(9)), row(2, 'B', at(2))]),
      healthcare: box([row(4, 'C', at(5))]),
      commerce: empty,
    };
    const page = mergePage(start, outboxes, 2, 10);
    expect(page.changes.map((c) => c.villageCode)).toEqual(['C', 'A']);
    expect(page.positions.culture).toBe(1);
    expect(page.more).toBe(true);
  });

  it('gives a village once per page, with every domain and what changed, at its latest time', () => {
    const outboxes = {
      culture: box([row(1, 'A', at(1), 'auditoriumUsage')]),
      healthcare: box([row(1, 'B', at(2)), row(2, 'A', at(3), 'assistedBookings')]),
      commerce: box([row(5, 'A', at(4), 'onlineStore')]),
    };
    const page = mergePage(start, outboxes, 10, 10);
    expect(page.changes).toEqual([
      {
        villageCode: 'B',
        regionCode: null,
        domains: ['healthcare'],
        what: ['w'],
        changedAt: at(2),
      },
      {
        villageCode: 'A',
        regionCode: null,
        domains: ['culture', 'healthcare', 'commerce'],
        what: ['auditoriumUsage', 'assistedBookings', 'onlineStore'],
        changedAt: at(4),
      },
    ]);
  });

  it('says more follows when a domain filled its read and has rows past it', () => {
    const outboxes = { culture: box([row(1, 'A', at(1))], 5), healthcare: empty, commerce: empty };
    expect(mergePage(start, outboxes, 1, 1).more).toBe(true);
    const done = { culture: box([row(1, 'A', at(1))], 1), healthcare: empty, commerce: empty };
    expect(mergePage(start, done, 1, 1).more).toBe(false);
  });

  it('holds at most `first` nodes, ending within a change listed at more villages', () => {
    const neighbours = new Map([['A', ['D', 'B', 'A', 'C']]]);
    const outboxes = {
      culture: box([row(1, 'E', at(1)), row(2, 'A', at(2))]),
      healthcare: box([row(1, 'F', at(3))]),
      commerce: empty,
    };
    const codes = (p: ReturnType<typeof mergePage>) => p.changes.map((c) => c.villageCode);
    const page = mergePage(start, outboxes, 3, 10, neighbours);
    // Its village first, then those helped there in code order: the rest on the next page.
    expect(codes(page)).toEqual(['E', 'A', 'B']);
    const within = { stamp: rowStamp(row(2, 'A', at(2))), after: 'B' };
    expect([page.positions, page.within, page.more]).toEqual([
      { ...start, culture: 1 },
      within,
      true,
    ]);
    const rest = { ...outboxes, culture: box([row(2, 'A', at(2))]) };
    const next = mergePage(page.positions, rest, 3, 10, neighbours, page.within);
    expect(codes(next)).toEqual(['C', 'D', 'F']);
    expect([next.positions, next.within, next.more]).toEqual([
      { culture: 2, healthcare: 1, commerce: 0 },
      undefined,
      false,
    ]);
    expect(next.changes[0]).toMatchObject({ domains: ['culture'], regionCode: null });
  });

  it('gives each village of a change once, one a page with `first: 1`', () => {
    const neighbours = new Map([['A', ['B', 'C']]]);
    const seen: (string | null)[] = [];
    let from = start;
    let within: ReturnType<typeof mergePage>['within'];
    for (let pages = 0; pages < 10; pages++) {
      const rows = [row(1, 'A', at(1)), row(2, 'D', at(2))].filter((r) => r.id > from.culture);
      const outboxes = { culture: box(rows, 2), healthcare: empty, commerce: empty };
      const page = mergePage(from, outboxes, 1, 10, neighbours, within);
      expect(page.changes.length).toBeLessThanOrEqual(1);
      seen.push(...page.changes.map((c) => c.villageCode));
      [from, within] = [page.positions, page.within];
      if (!page.more) break;
    }
    expect(seen).toEqual(['A', 'B', 'C', 'D']);
    expect(from.culture).toBe(2);
  });

  it('goes on after the last village given, whatever the villages helped there are now', () => {
    const r = row(2, 'A', at(2));
    const outboxes = { culture: box([r]), healthcare: empty, commerce: empty };
    const within = { stamp: rowStamp(r), after: 'C' };
    // A village helped there now that sorts before the last one given is not given again.
    const now = new Map([['A', ['B', 'BB', 'C', 'E']]]);
    const page = mergePage(start, outboxes, 10, 10, now, within);
    expect(page.changes.map((c) => c.villageCode)).toEqual(['E']);
    // None left: the change is done, the position moves over it.
    const done = mergePage(start, outboxes, 10, 10, new Map([['A', ['B']]]), within);
    expect([done.changes, done.positions.culture, done.within]).toEqual([[], 2, undefined]);
    // Not read yet (a replica behind): the cursor keeps where it was within the change.
    const behind = mergePage(start, { ...outboxes, culture: empty }, 10, 10, now, within);
    expect([behind.changes, behind.positions, behind.within]).toEqual([[], start, within]);
  });
});
