import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../gateway/operations/documents.js';
import { exportAll, originOf, post, trustedDocumentsGateway } from './support/exports.js';
import { bootStack, type Stack } from './support/stack.js';

/**
 * A partner's export requests as they go wrong (docs/partners.md). A trusted document named by
 * hash: its hex digits in either case, as /graphql takes them (`documentId`, APQ), name the same
 * document. A region code that names no region: 404 NOT_FOUND, not an empty export that ends
 * `done` as a region without villages does (a partner replacing its copy with it lost it all).
 */
const DOCUMENT = 'query VillageCard($code: ID!) { village(code: $code) { code name kind } }';
let stack: Stack;

beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124'] });
});
afterAll(() => stack?.close());

describe('an export naming its trusted document by sha256', () => {
  it('exports the same lines whatever the case of the hash', async () => {
    const villages = await stack.query<{
      region: { villages: { edges: { node: { code: string } }[] } };
    }>('{ region(code: "331124") { villages(first: 3) { edges { node { code } } } } }');
    const codes = villages.body.data!.region.villages.edges.map((e) => e.node.code);
    const { gw, key } = await trustedDocumentsGateway(stack, DOCUMENT);
    try {
      const run = (document: string) =>
        exportAll(originOf(gw), { document, codes }, { 'x-api-key': key });
      const lower = await run(`sha256:${sha256(DOCUMENT)}`);
      expect(lower.res.status).toBe(200);
      expect(lower.lines.at(-1)).toEqual({ done: true, count: codes.length });
      const upper = await run(`sha256:${sha256(DOCUMENT).toUpperCase()}`);
      expect([upper.res.status, upper.text]).toEqual([200, lower.text]);
    } finally {
      await gw.close();
    }
  });
});

describe('an export of a region that does not exist', () => {
  it('is 404 NOT_FOUND at regionCode before any line; a region of the country is exported', async () => {
    const base = `http://127.0.0.1:${stack.gateway.port}`;
    for (const regionCode of ['99', '331199', '331124999']) {
      const res = await post(base, { regionCode, selection: '{ code }' });
      const body = (await res.json()) as { errors: { extensions: Record<string, unknown> }[] };
      expect([regionCode, res.status, body.errors[0].extensions]).toEqual([
        regionCode,
        404,
        { code: 'NOT_FOUND', field: 'regionCode' },
      ]);
    }
    const county = await exportAll(base, { regionCode: '331124', selection: '{ code }' });
    expect(county.res.status).toBe(200);
    expect(county.lines.at(-1)).toMatchObject({ done: true });
    expect(county.lines.length).toBeGreaterThan(1);
  });
});
