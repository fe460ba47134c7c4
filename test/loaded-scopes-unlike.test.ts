import { describe, expect, it } from 'vitest';
import { codesAt, unlikeScopes } from './support/unlike-scopes.js';

/**
 * Places and culture loaded with Lishui (3311), healthcare and commerce with Songyang (331124)
 * only: healthcare and commerce hold part of Lishui and none of Yunhe (331125). Their index
 * inputs for Lishui, asked without their views, took Songyang's figures as Lishui's: its index
 * was a score (71.3), no error, where asked beside the views it was null with an error.
 */
const LISHUI = '3311';

const { engines } = unlikeScopes({
  scopes: ['331124'],
  placesScopes: [LISHUI],
  scopesOf: { culture: [LISHUI] },
});

describe('healthcare and commerce loaded narrower than places and culture', () => {
  it('a region they hold part of has no index, asked alone or beside their views', async () => {
    const views = 'healthcare { familyDoctorCoverage { share } } commerce { stores { total } }';
    for (const [engine, query] of engines()) {
      for (const asked of ['', views]) {
        const res = await query(
          `{ region(code: "${LISHUI}") { ${asked} digitalIndex { score } } }`,
        );
        expect(res.status, engine).toBe(200);
        expect(res.body.data?.region, engine).toMatchObject({ digitalIndex: null });
        expect(codesAt(res.body.errors), engine).toMatchObject({
          'region.digitalIndex': 'SUBGRAPH_UNAVAILABLE',
        });
      }
    }
  });

  it('nor does a ranking of the children of a region above it', async () => {
    for (const [engine, query] of engines()) {
      const res = await query(
        `{ region(code: "33") { childrenByIndex(first: 3) { region { code } index { score } } } }`,
      );
      expect(res.status, engine).toBe(200);
      expect(res.body.data?.region, engine).toEqual({ childrenByIndex: null });
      expect(codesAt(res.body.errors), engine).toMatchObject({
        'region.childrenByIndex': 'SUBGRAPH_UNAVAILABLE',
      });
    }
  });
});
