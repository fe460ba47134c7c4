import { describe, expect, it } from 'vitest';
import { HeldScope, holdingOf } from './loaded-scope.js';

describe('holdingOf', () => {
  it('tells a place inside a scope, a region above one, and a place outside all', () => {
    const prefixes = ['331124', '330203'];
    expect(holdingOf(prefixes, '331124001201')).toBe('all');
    expect(holdingOf(prefixes, '331124')).toBe('all');
    expect(holdingOf(prefixes, '3311')).toBe('part');
    expect(holdingOf(prefixes, '33')).toBe('part');
    expect(holdingOf(prefixes, '331125')).toBe('none');
    expect(holdingOf(prefixes, '11')).toBe('none');
    expect(holdingOf([''], '11')).toBe('all'); // national
    expect(holdingOf([], '11')).toBeUndefined(); // no scope recorded: not known
  });
});

describe('HeldScope', () => {
  it('answers a place it holds without reading, and reads again before refusing one', async () => {
    let reads = 0;
    let loaded = ['331124'];
    const held = new HeldScope(async () => {
      reads += 1;
      return loaded;
    });
    await held.refresh();
    expect(await held.covers('331124001201')).toBe(true);
    // Above the scope: whole unless places sent a child the domain holds nothing of.
    expect(await held.covers('3311', ['331124'])).toBe(true);
    expect(await held.covers('3311', ['331124', '331125'])).toBe(false);
    expect(await held.covers('331125')).toBe(false);
    expect(reads).toBe(1); // read within the last second: trusted
    loaded = ['3311'];
    await new Promise((r) => setTimeout(r, 1_050));
    expect(await held.covers('331125')).toBe(true); // a scope loaded meanwhile
    expect(reads).toBe(2);
  });
});
