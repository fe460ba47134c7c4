import { describe, expect, it } from 'vitest';
import { sha256 } from '../operations/documents.js';
import { documentsByName } from './export-documents.js';
import { BadExport, parseExportRequest } from './export-request.js';

const settings = { maxBodyBytes: 65_536, maxCodes: 3, maxAliases: 3 };
const named = new Map([['Profile', 'query Profile($code: ID!) { village(code: $code) { name } }']]);
const parse = (raw: unknown) => parseExportRequest(raw, settings, named);
const refusal = (raw: unknown) => {
  try {
    parse(raw);
  } catch (err) {
    if (err instanceof BadExport) return { code: err.code, field: err.field };
    throw err;
  }
  throw new Error('accepted');
};

describe('export request', () => {
  it('takes a region with a selection, or sorted unique codes after a cursor', () => {
    expect(parse({ selection: '{ name }', regionCode: '331124' })).toMatchObject({
      regionCode: '331124',
      fromTrusted: false,
    });
    const codes = ['331124001003', '331124001001', '331124001003'];
    expect(parse({ selection: '{ name }', codes }).codes).toEqual(['331124001001', '331124001003']);
    expect(parse({ selection: '{ name }', codes, after: '331124001001' }).codes).toEqual([
      '331124001003',
    ]);
    expect(parse({ document: 'Profile', regionCode: '33' }).fromTrusted).toBe(true);
  });

  it.each([
    [[], { code: 'BAD_REQUEST' }],
    [{ regionCode: '33' }, { code: 'EXPORT_SELECTION_INVALID' }],
    [
      { selection: '{ name }', document: 'Profile', regionCode: '33' },
      { code: 'EXPORT_SELECTION_INVALID' },
    ],
    [{ document: 'Nope', regionCode: '33' }, { code: 'EXPORT_DOCUMENT_UNKNOWN' }],
    // Three aliases pass /graphql's limit of 3, but a page adds one of its own.
    [
      { selection: '{ a: name b: code c: name }', regionCode: '33' },
      { code: 'EXPORT_SELECTION_INVALID' },
    ],
    [{ selection: '{ name }' }, { code: 'BAD_USER_INPUT', field: 'regionCode' }],
    [
      { selection: '{ name }', regionCode: '331' },
      { code: 'BAD_USER_INPUT', field: 'regionCode' },
    ],
    [
      { selection: '{ name }', regionCode: '33', after: '' },
      { code: 'BAD_USER_INPUT', field: 'after' },
    ],
    [
      { selection: '{ name }', codes: ['1'] },
      { code: 'BAD_USER_INPUT', field: 'codes' },
    ],
    [
      {
        selection: '{ name }',
        codes: ['331124001001', '331124001002', '331124001003', '331124001004'],
      },
      { code: 'BAD_USER_INPUT', field: 'codes' },
    ],
    [
      { selection: '{ name }', regionCode: '3302', codes: ['331124001001'] },
      { code: 'BAD_USER_INPUT', field: 'codes' },
    ],
    // A code not in the list: another list's cursor, which skipped all of this one (or none).
    [
      { selection: '{ name }', codes: ['331124001001', '331124001002'], after: '331124001999' },
      { code: 'BAD_USER_INPUT', field: 'after' },
    ],
    [
      { selection: '{ name }', codes: ['331124001001', '331124001003'], after: '331124001002' },
      { code: 'BAD_USER_INPUT', field: 'after' },
    ],
  ])('refuses %j', (raw, expected) => {
    expect(refusal(raw)).toMatchObject(expected);
  });

  it('refuses a name several trusted documents hold, and takes a document by its hash', () => {
    // Two versions of one operation registered side by side, and another operation.
    const v1 = 'query VillageCard($code: ID!) { village(code: $code) { name } }';
    const v2 = 'query VillageCard($code: ID!) { village(code: $code) { name kind } }';
    const other = 'query Profile($code: ID!) { village(code: $code) { code } }';
    const byName = documentsByName([v1, v2, other, other]);
    const from = (document: string) =>
      parseExportRequest({ document, regionCode: '33' }, settings, byName);
    expect(() => from('VillageCard')).toThrow(/Several trusted documents are named "VillageCard"/);
    expect(from(`sha256:${sha256(v1)}`).sel.selection).toBe('{\n  name\n}');
    expect(from(`sha256:${sha256(v2)}`).sel.selection).toBe('{\n  name\n  kind\n}');
    // The same text twice is one document.
    expect(from('Profile').sel.selection).toBe('{\n  code\n}');
    expect(() => from(`sha256:${sha256('query X { village(code: "1") { name } }')}`)).toThrow(
      /names no trusted document/,
    );
  });
});
