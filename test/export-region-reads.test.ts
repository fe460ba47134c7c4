import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAll } from './support/exports.js';
import { bootStack, type Stack } from './support/stack.js';

/**
 * A region export reads the region once (its first page: an unknown code is 404 there), not once
 * a page: a later page cannot make a known region unknown.
 */
const REGION = '331124'; // a few hundred villages: several pages of 100

let stack: Stack;
beforeAll(async () => {
  stack = await bootStack({ scopes: [REGION] });
}, 240_000);
afterAll(() => stack?.close());

/** Statements places ran that read regions by code (`region(code:)`), not villages. */
const regionReads = () =>
  stack.subgraphs.places.sql.statements.filter((s) => /from [`"]?region[`"]? /i.test(s));

describe('a region export', () => {
  it('reads its region on the first page only', async () => {
    const origin = `http://127.0.0.1:${stack.gateway.port}`;
    stack.subgraphs.places.sql.reset();
    const { res, lines } = await exportAll(
      origin,
      { regionCode: REGION, selection: '{ code }' },
      stack.steward,
    );
    expect(res.status).toBe(200);
    const villages = lines.filter((l) => 'code' in l);
    expect(villages.length).toBeGreaterThan(200); // three pages or more
    expect(regionReads()).toHaveLength(1);
  });
});
