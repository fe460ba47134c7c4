import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootStack, type Stack } from './support/stack.js';

/**
 * The domains loaded with Zhoushan's four counties one by one, places with Zhoushan (3309)
 * whole: both hold the same villages, yet Zhoushan and Zhejiang were refused with NOT_LOADED,
 * the check comparing code prefixes only ('3309' lies under none of the counties). It now counts
 * the official villages: the four counties hold all of Zhoushan's.
 */
const COUNTIES = ['330902', '330903', '330921', '330922'];

let stack: Stack;

beforeAll(async () => {
  stack = await bootStack({ scopes: COUNTIES, placesScopes: ['3309'] });
});

afterAll(async () => {
  await stack?.close();
});

const VIEWS = 'culture { auditoriumCount } commerce { stores { total } }';
type Views = { culture: { auditoriumCount: number }; commerce: { stores: { total: number } } };

describe('a city loaded county by county into the domains, whole into places', () => {
  it('is answered, with the sum of its counties', async () => {
    let auditoriums = 0;
    let stores = 0;
    for (const code of COUNTIES) {
      const res = await stack.query(`{ region(code: "${code}") { ${VIEWS} } }`);
      expect(res.body.errors, code).toBeUndefined();
      const region = res.body.data?.region as Views;
      auditoriums += region.culture.auditoriumCount;
      stores += region.commerce.stores.total;
    }
    for (const code of ['3309', '33']) {
      const res = await stack.query(`{ region(code: "${code}") { ${VIEWS} } }`);
      expect(res.body.errors, code).toBeUndefined();
      const region = res.body.data?.region as Views;
      expect(region.culture.auditoriumCount, code).toBe(auditoriums);
      expect(region.commerce.stores.total, code).toBe(stores);
    }
  });
});
