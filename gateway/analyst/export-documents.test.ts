import { Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  codesBatchDocument,
  codesBatchLines,
  parseSelection,
  regionPageLines,
  selectionOfDocument,
  SelectionError,
} from './export-documents.js';

describe('parseSelection', () => {
  it('takes one selection set, with the fragments it spreads, and counts its aliases', () => {
    const sel = parseSelection(
      '{ code n: name ...F } fragment F on Village { kind k: code }',
      1000,
    );
    expect(sel.selection).toBe('{\n  code\n  n: name\n  ...F\n}');
    expect(sel.fragments).toBe('fragment F on Village {\n  kind\n  k: code\n}');
    expect(sel.aliases).toBe(2);
  });

  it('refuses anything that is not one selection set', () => {
    for (const text of [
      '',
      '{ code',
      'query { code }',
      'query Q { code }',
      '{ code } { name }',
      '{ code } query Q { name }',
      'fragment F on Village { code }',
      'x'.repeat(101),
      // A page's own variables ($first, $after, $regionCode, $c0…) are not the selection's.
      '{ code commerce { stores(first: 2, after: $after) { edges { cursor } } } }',
      '{ code name @include(if: $x) }',
      '{ ...F } fragment F on Village { commerce { stores(first: $first) { totalCount } } }',
    ]) {
      expect(() => parseSelection(text, 100), text).toThrow(SelectionError);
    }
  });
});

describe('selectionOfDocument', () => {
  it('exports what a one-village operation selects', () => {
    const sel = selectionOfDocument(
      'query Card($code: ID!) { village(code: $code) { code name } }',
    );
    expect(sel?.selection).toBe('{\n  code\n  name\n}');
  });

  it('refuses other documents', () => {
    for (const text of [
      '{ provinces { code } }',
      'query Two($c: ID!) { village(code: $c) { code } provinces { code } }',
      'mutation M { village { code } }',
      'query A { village(code: "1") { code } } query B { provinces { code } }',
      'not graphql',
      'query Card($code: ID!, $n: Int) { village(code: $code) { commerce { stores(first: $n) { totalCount } } } }',
      'query Card($code: ID!) { village(code: $code) { ...F } } fragment F on Village { township { villages(after: $code) { totalCount } } }',
    ]) {
      expect(selectionOfDocument(text), text).toBeUndefined();
    }
  });
});

describe('splitting a page into village lines', () => {
  it('gives each village its errors with paths relative to it', () => {
    const forbidden = { message: 'no', extensions: { code: 'FORBIDDEN' } };
    const page = regionPageLines({
      data: {
        villages: {
          pageInfo: { hasNextPage: true, endCursor: 'c2' },
          edges: [
            { cursor: 'c1', exportKey: { code: '1' }, node: { culture: null } },
            { cursor: 'c2', exportKey: { code: '2' }, node: { culture: { a: 1 } } },
          ],
        },
      },
      errors: [{ ...forbidden, path: ['villages', 'edges', 0, 'node', 'culture'], locations: [] }],
    });
    expect(page).toEqual({
      next: 'c2',
      lines: [
        {
          cursor: 'c1',
          code: '1',
          data: { culture: null },
          errors: [{ ...forbidden, path: ['culture'] }],
        },
        { cursor: 'c2', code: '2', data: { culture: { a: 1 } } },
      ],
    });
    expect(regionPageLines({ data: { villages: null }, errors: [forbidden] })).toBeUndefined();
  });

  it('reads a batch of codes by alias; an error of no village goes to each', () => {
    const down = { message: 'down', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } };
    const lines = codesBatchLines(['a', 'b'], {
      data: { v0: { code: 'a' }, v1: null },
      errors: [{ ...down, path: ['v1'] }, down],
    });
    expect(lines).toEqual([
      { cursor: 'a', code: 'a', data: { code: 'a' }, errors: [down] },
      { cursor: 'b', code: 'b', data: null, errors: [{ ...down, path: [] }, down] },
    ]);
  });

  it('writes the selection once, as a fragment, for a batch of codes', () => {
    const doc = codesBatchDocument(parseSelection('{ code }', 100), 2);
    expect(doc).toContain('v1: village(code: $c1) { ...VillageExportSelection }');
    expect(doc.match(/fragment VillageExportSelection/g)).toHaveLength(1);
  });

  it("names its fragment apart from the caller's, whatever they are called", () => {
    const sel = parseSelection(
      '{ ...VillageExportSelection } fragment VillageExportSelection on Village { code name }',
      1000,
    );
    const names = parse(codesBatchDocument(sel, 2)).definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [d.name.value] : [],
    );
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
  });
});
