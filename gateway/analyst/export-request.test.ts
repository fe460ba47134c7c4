import { describe, expect, it } from 'vitest';
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
});
