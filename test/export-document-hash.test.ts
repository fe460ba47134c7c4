import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../gateway/operations/documents.js';
import { exportAll, originOf, trustedDocumentsGateway } from './support/exports.js';
import { bootStack, type Stack } from './support/stack.js';

/**
 * A partner's export naming its trusted document by hash (docs/partners.md): the hash's hex
 * digits in either case, as /graphql takes them (`documentId`, APQ), name the same document.
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
