import { describe, expect, it } from 'vitest';
import { codesAt, DOMAIN_VIEWS, unlikeScopes, type Errors } from './support/unlike-scopes.js';

/**
 * The domains loaded with Lishui (3311), places with Songyang (331124) only: the domains hold
 * villages places does not. Their views of Lishui and Zhejiang counted all of Lishui over the
 * villages places holds (Songyang's 203): culture's coverage of Lishui was 8.069, 1,638
 * auditoriums, its index 89.2 — no error. They now refuse (NOT_LOADED) a region where they hold
 * villages places does not; the places both hold are answered as before.
 */
const SONGYANG = '331124';

const { engines } = unlikeScopes({ scopes: ['3311'], placesScopes: [SONGYANG] });

describe('domains loaded wider than places', () => {
  it('a region where they hold villages places does not is refused, not over-counted', async () => {
    for (const [engine, query] of engines()) {
      for (const code of ['3311', '33']) {
        const res = await query(
          `{ region(code: "${code}") { ${DOMAIN_VIEWS} digitalIndex { score } } }`,
        );
        expect(res.status, engine).toBe(200);
        expect(res.body.data?.region, `${engine} ${code}`).toEqual({
          culture: null,
          healthcare: null,
          commerce: null,
          digitalIndex: null,
        });
        expect(codesAt(res.body.errors), `${engine} ${code}`).toMatchObject({
          'region.culture': 'NOT_LOADED',
          'region.healthcare': 'NOT_LOADED',
          'region.commerce': 'NOT_LOADED',
          'region.digitalIndex': 'SUBGRAPH_UNAVAILABLE',
        });
      }
    }
  });

  it('the scope both hold is answered', async () => {
    for (const [engine, query] of engines()) {
      const res = await query(
        `{ region(code: "${SONGYANG}") { ${DOMAIN_VIEWS} digitalIndex { score } } }`,
      );
      expect(res.body.errors, engine).toBeUndefined();
      const region = res.body.data?.region as { culture: { coverage: number } } & object;
      expect(region.culture.coverage, engine).toBeLessThanOrEqual(1);
      for (const view of Object.values(region)) expect(view, engine).not.toBeNull();
    }
  });

  it('a village of theirs places does not hold is NOT_LOADED, not an unavailable part', async () => {
    // Yunhe (331125): the domains list its auditoriums; places holds none of its villages.
    const q = `{ auditoriums(filter: { regionCode: "331125" }, first: 2) {
      edges { node { id village { name } } } } }`;
    for (const [engine, query] of engines()) {
      const res = await query(q);
      expect(res.status, engine).toBe(200);
      expect(res.body.data, engine).toBeNull();
      const errors = (res.body.errors ?? []) as NonNullable<Errors>;
      expect(errors.length, engine).toBeGreaterThan(0);
      for (const e of errors) expect(e.extensions?.code, engine).toBe('NOT_LOADED');
    }
  });
});
