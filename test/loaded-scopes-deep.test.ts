import { describe, expect, it } from 'vitest';
import { codesAt, DOMAIN_VIEWS, unlikeScopes } from './support/unlike-scopes.js';

/**
 * Places loaded with Lishui (3311), the domains with Songyang (331124) only. Zhejiang (33) is
 * two levels above Songyang: places lists one child of it, Lishui, which the domains hold part
 * of, so a check of the children alone let them answer Zhejiang with Songyang's figures — its
 * coverage, its auditorium count, its stores, its index — as if they were those of all the
 * Lishui villages places holds, with no error. They now learn the scopes places holds and
 * refuse (NOT_LOADED) a region where places holds villages they do not.
 */
const ZHEJIANG = '33';
const LISHUI = '3311';
const SONGYANG = '331124';

const { engines } = unlikeScopes({ scopes: [SONGYANG], placesScopes: [LISHUI] });

describe('places loaded two levels wider than the domains', () => {
  it('a region two levels above their scope is refused, not answered from their part', async () => {
    for (const [engine, query] of engines()) {
      const res = await query(`{ region(code: "${ZHEJIANG}") { code ${DOMAIN_VIEWS} } }`);
      expect(res.status, engine).toBe(200);
      expect(res.body.data?.region, engine).toEqual({
        code: ZHEJIANG,
        culture: null,
        healthcare: null,
        commerce: null,
      });
      expect(codesAt(res.body.errors), engine).toEqual({
        'region.culture': 'NOT_LOADED',
        'region.healthcare': 'NOT_LOADED',
        'region.commerce': 'NOT_LOADED',
      });
    }
  });

  it('so is its index, asked alone or beside the views', async () => {
    for (const [engine, query] of engines()) {
      for (const asked of ['', DOMAIN_VIEWS]) {
        const res = await query(
          `{ region(code: "${ZHEJIANG}") { ${asked} digitalIndex { score } } }`,
        );
        expect(res.status, engine).toBe(200);
        expect(res.body.data?.region, engine).toMatchObject({ digitalIndex: null });
        expect(codesAt(res.body.errors), engine).toMatchObject({
          'region.digitalIndex': 'SUBGRAPH_UNAVAILABLE',
        });
      }
    }
  });

  it('the scope they hold is answered, and Lishui refused as before', async () => {
    for (const [engine, query] of engines()) {
      const own = await query(
        `{ region(code: "${SONGYANG}") { ${DOMAIN_VIEWS} digitalIndex { score } } }`,
      );
      expect(own.body.errors, engine).toBeUndefined();
      const region = own.body.data?.region as Record<string, unknown>;
      for (const view of ['culture', 'healthcare', 'commerce', 'digitalIndex']) {
        expect(region[view], `${engine} ${view}`).not.toBeNull();
      }
      const city = await query(`{ region(code: "${LISHUI}") { culture { coverage } } }`);
      expect(city.body.data?.region, engine).toEqual({ culture: null });
      expect(codesAt(city.body.errors), engine).toEqual({ 'region.culture': 'NOT_LOADED' });
    }
  });
});
