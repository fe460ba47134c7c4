import { describe, expect, it } from 'vitest';
import { codesAt, unlikeScopes } from './support/unlike-scopes.js';

/**
 * Places loaded with Lishui (3311), the domains with Songyang (331124) only. A domain's list
 * filtered by a region it holds nothing of (Yunhe, 331125) answered an empty page, no error:
 * "no auditorium, no facility, no enterprise in Yunhe", where the domain simply has no record
 * of it. Each such list is now refused (NOT_LOADED), as the domains' views of Yunhe are; a
 * region they hold all or part of is listed as before, and a code that is no region's lists
 * nothing, as it always did.
 */
const YUNHE = '331125';
const YUNHE_VILLAGE = '331125001204';
const SONGYANG = '331124';

const { engines } = unlikeScopes({ scopes: [SONGYANG], placesScopes: ['3311'] });

/** Each domain list taking a region code, as a query of the code. */
const LISTS: Record<string, (code: string) => string> = {
  auditoriums: (c) =>
    `auditoriums(first: 100, filter: { regionCode: "${c}" }) { edges { cursor } }`,
  facilities: (c) => `facilities(first: 100, regionCode: "${c}") { edges { cursor } }`,
  enterprises: (c) => `enterprises(first: 100, regionCode: "${c}") { edges { cursor } }`,
  ecommerceParks: (c) => `ecommerceParks(first: 100, regionCode: "${c}") { edges { cursor } }`,
  processingWorkshops: (c) =>
    `processingWorkshops(first: 100, regionCode: "${c}") { edges { cursor } }`,
};
const VILLAGE_LISTS = ['auditoriums', 'facilities', 'enterprises'];

const edgesOf = (data: unknown, list: string) =>
  ((data as Record<string, { edges: unknown[] }> | null)?.[list]?.edges ?? null)?.length;

describe('domain lists of a region the domains hold nothing of', () => {
  it('are refused with NOT_LOADED, not answered empty', async () => {
    for (const [engine, query] of engines()) {
      for (const [list, of] of Object.entries(LISTS)) {
        const codes = VILLAGE_LISTS.includes(list) ? [YUNHE, YUNHE_VILLAGE, '11'] : [YUNHE, '11'];
        for (const code of codes) {
          const res = await query(`{ ${of(code)} }`);
          const at = `${engine} ${list} ${code}`;
          expect(res.status, at).toBe(200);
          expect(res.body.data, at).toBeNull();
          expect(codesAt(res.body.errors), at).toEqual({ [list]: 'NOT_LOADED' });
        }
      }
    }
  });

  it('list a region they hold all or part of as before', async () => {
    for (const [engine, query] of engines()) {
      for (const [list, of] of Object.entries(LISTS)) {
        const own = await query(`{ ${of(SONGYANG)} }`);
        expect(own.body.errors, `${engine} ${list}`).toBeUndefined();
        // Above Songyang: the rows of the scope loaded.
        for (const code of ['3311', '33']) {
          const above = await query(`{ ${of(code)} }`);
          expect(above.body.errors, `${engine} ${list} ${code}`).toBeUndefined();
          expect(edgesOf(above.body.data, list), `${engine} ${list} ${code}`).toBe(
            edgesOf(own.body.data, list),
          );
        }
      }
      const stores = await query(`{ ${LISTS.enterprises(SONGYANG)} }`);
      expect(edgesOf(stores.body.data, 'enterprises'), engine).toBeGreaterThan(0);
    }
  });

  it('list nothing for a code that is no region, and refuse a malformed one', async () => {
    for (const [engine, query] of engines()) {
      for (const [list, of] of Object.entries(LISTS)) {
        const none = await query(`{ ${of('99')} }`);
        expect(none.body.errors, `${engine} ${list}`).toBeUndefined();
        expect(edgesOf(none.body.data, list), `${engine} ${list}`).toBe(0);
        const bad = await query(`{ ${of('3')} }`);
        expect(codesAt(bad.body.errors), `${engine} ${list}`).toEqual({ [list]: 'BAD_USER_INPUT' });
      }
    }
  });
});
