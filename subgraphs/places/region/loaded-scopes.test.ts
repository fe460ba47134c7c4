import { describe, expect, it } from 'vitest';
import { villagesUnder } from '../../shared/division-codes.js';
import { HeldScope } from '../../shared/loaded-scope.js';
import { loadedScopesOf } from './loaded-scopes.js';
import type { Region } from './region.entity.js';

const region = (code: string, villageCount: number) => ({ code, villageCount }) as Region;

describe("places' loadedScopes", () => {
  it('tells the scopes near a region, reading them again only when its count disagrees', async () => {
    let reads = 0;
    let loaded = ['331124'];
    const held = new HeldScope(async () => {
      reads += 1;
      return loaded;
    });
    await held.refresh();
    const songyang = await villagesUnder('331124');
    expect(songyang).toBeGreaterThan(100);
    expect(await loadedScopesOf(region('33', songyang), held)).toEqual(['331124']);
    expect(await loadedScopesOf(region('331124001', 20), held)).toEqual(['331124']);
    expect(await loadedScopesOf(region('11', 0), held)).toEqual([]);
    expect(reads).toBe(1);
    // Another process loaded Lishui: Zhejiang's count is Lishui's, which Songyang does not explain.
    loaded = ['3311'];
    await new Promise((r) => setTimeout(r, 1_050));
    expect(await loadedScopesOf(region('33', await villagesUnder('3311')), held)).toEqual(['3311']);
    expect(reads).toBe(2);
  });

  it('is null where places recorded no scope, or fewer than it holds', async () => {
    const some = new HeldScope(async () => ['331124']);
    await some.refresh();
    expect(
      await loadedScopesOf(region('33', (await villagesUnder('331124')) + 1), some),
    ).toBeNull();
    const held = new HeldScope(async () => []);
    await held.refresh();
    expect(await loadedScopesOf(region('33', 10), held)).toBeNull();
    expect(await loadedScopesOf(region('33', 10), undefined)).toBeNull();
  });
});
