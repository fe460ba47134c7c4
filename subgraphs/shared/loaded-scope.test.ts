import { describe, expect, it } from 'vitest';
import { HeldScope, heldRegionCode, holdingOf, wholeFor } from './loaded-scope.js';

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
    const children = (...codes: string[]) => ({ children: codes.map((code) => ({ code })) });
    expect(await held.covers('3311', children('331124'))).toBe(true);
    expect(await held.covers('3311', children('331124', '331125'))).toBe(false);
    // Places' scopes, at any depth: Lishui's villages under Zhejiang.
    expect(await held.covers('33', { loadedScopes: ['3311'], ...children('3311') })).toBe(false);
    expect(await held.covers('331125')).toBe(false);
    expect(reads).toBe(1); // read within the last second: trusted
    loaded = ['3311'];
    await new Promise((r) => setTimeout(r, 1_050));
    expect(await held.covers('331125')).toBe(true); // a scope loaded meanwhile
    expect(reads).toBe(2);
  });
});

describe('wholeFor', async () => {
  const songyang = ['331124'];

  it('refuses a region where places holds villages under a scope the domain does not cover', async () => {
    // Places loaded with Lishui: Zhejiang lists one child, Lishui, which the domain holds part of.
    expect(await wholeFor(songyang, '33', { scopes: ['3311'], children: ['3311'] })).toBe(false);
    expect(await wholeFor(songyang, '3311', { scopes: ['3311'], children: ['331124'] })).toBe(
      false,
    );
    // Places loaded with Songyang and Yunhe: Yunhe's villages are not the domain's.
    expect(await wholeFor(songyang, '33', { scopes: ['331124', '331125'] })).toBe(false);
    // Places holds all of China.
    expect(await wholeFor(songyang, '33', { scopes: [''] })).toBe(false);
    // Places holds a township of Yunhe only: the domain holds none of it, at three levels down.
    expect(await wholeFor(songyang, '33', { scopes: ['331124', '331125001'] })).toBe(false);
  });

  it('answers where the domain and places hold the same villages of the region', async () => {
    expect(await wholeFor(songyang, '33', { scopes: ['331124'], children: ['3311'] })).toBe(true);
    // Scopes elsewhere in the country are not this region's.
    expect(await wholeFor(songyang, '33', { scopes: ['331124', '11'] })).toBe(true);
    expect(await wholeFor(['3311', '3302'], '33', { scopes: ['3311', '3302'] })).toBe(true);
    // A domain scope above the region, cut to it: places holds all of the region too.
    expect(await wholeFor(['33'], '3311', { scopes: ['3311'] })).toBe(true);
    expect(await wholeFor([''], '3311', { scopes: ['33'] })).toBe(true);
    expect(await wholeFor(songyang, '331124001', { scopes: ['331124001'] })).toBe(true);
  });

  it('refuses a region where the domain holds villages places does not', async () => {
    // Places narrower than the domain (a township of Songyang): the domain's Songyang figures
    // would be divided by the township's villages.
    expect(await wholeFor(songyang, '33', { scopes: ['331124001'] })).toBe(false);
    expect(await wholeFor(songyang, '331124', { scopes: ['331124001'] })).toBe(false);
    expect(await wholeFor(['3311', '3302'], '33', { scopes: ['331124', '330203'] })).toBe(false);
    // Domain Lishui, places Songyang (culture's coverage of Lishui was 8.069).
    expect(await wholeFor(['3311'], '3311', { scopes: ['331124'] })).toBe(false);
    expect(await wholeFor([''], '33', { scopes: ['3311'] })).toBe(false);
    // Places holds nothing near the region.
    expect(await wholeFor(songyang, '331124', { scopes: [] })).toBe(false);
  });

  it('counts the official villages: scopes loaded county by county hold their city', async () => {
    const zhoushan = ['330902', '330903', '330921', '330922'];
    // Both ways: the domain or places loaded with Zhoushan's four counties, the other with it whole.
    expect(await wholeFor(zhoushan, '3309', { scopes: ['3309'] })).toBe(true);
    expect(await wholeFor(zhoushan, '33', { scopes: ['3309'] })).toBe(true);
    expect(await wholeFor(['3309'], '3309', { scopes: zhoushan })).toBe(true);
    expect(await wholeFor(['3309'], '33', { scopes: zhoushan })).toBe(true);
    // Three of the four are not Zhoushan.
    expect(await wholeFor(zhoushan.slice(1), '3309', { scopes: ['3309'] })).toBe(false);
    expect(await wholeFor(['3309'], '3309', { scopes: zhoushan.slice(1) })).toBe(false);
  });

  it('keeps the rest of the decision as before', async () => {
    expect(await wholeFor(songyang, '331124001201', { scopes: [''] })).toBe(true); // inside: whole
    expect(await wholeFor(songyang, '331125', { scopes: ['331124'] })).toBe(false); // none held
    expect(await wholeFor([], '33', { scopes: ['3311'] })).toBe(true); // domain scopes not known
    // Places' scopes not known: its children are compared, one level down.
    expect(await wholeFor(songyang, '3311', { children: ['331124', '331125'] })).toBe(false);
    expect(await wholeFor(songyang, '33', { scopes: null, children: ['3311'] })).toBe(true);
  });
});

describe('heldRegionCode', () => {
  const codeOf = (e: unknown) => (e as { extensions?: { code?: unknown } }).extensions?.code;
  const refusal = (p: Promise<unknown>) => p.then(() => 'answered', codeOf);

  it('refuses a list of a division the domain holds none of, and answers the others', async () => {
    const heldScope = new HeldScope(async () => ['331124']);
    await heldScope.refresh();
    const ctx = { heldScope };
    const list = (code: string) =>
      refusal(heldRegionCode(ctx, code, 'regionCode', { village: true }));
    expect(await list('331125')).toBe('NOT_LOADED');
    expect(await list('331125001204')).toBe('NOT_LOADED');
    expect(await list('11')).toBe('NOT_LOADED');
    expect(await list('331124')).toBe('answered');
    expect(await list('331124001201')).toBe('answered');
    expect(await list('3311')).toBe('answered'); // part: the rows of the scope loaded
    expect(await list('99')).toBe('answered'); // no division: an empty list, as before
    expect(await list('3')).toBe('BAD_USER_INPUT');
    expect(await refusal(heldRegionCode(ctx, '331124001201', 'regionCode'))).toBe('BAD_USER_INPUT');
    // No recorded scope: not known, answered.
    expect(await refusal(heldRegionCode({}, '11', 'regionCode'))).toBe('answered');
  });
});
