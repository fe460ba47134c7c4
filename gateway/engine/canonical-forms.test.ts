import { buildSchema, parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CANONICAL_FORMS, CanonicalForms } from './canonical-forms.js';

const schema = buildSchema('type Query { a: Int b: Int }');
const request = (query: string, operationName?: string) =>
  ({ schema, document: parse(query), operationName }) as never;

describe('canonical forms', () => {
  it('keeps one form per document and value of its @skip/@include variables', () => {
    const forms = new CanonicalForms();
    const r = request('query Q($s: Boolean) { a b @skip(if: $s) }', 'Q');
    const shown = forms.formOf(r, { s: false }, true);
    expect(forms.formOf(r, { s: false }, true)).toBe(shown);
    const skipped = forms.formOf(r, { s: true }, true);
    expect(skipped).not.toBe(shown);
    expect(print(skipped)).not.toContain('b');
  });

  it('builds forms past the bound without keeping them (correct, slower)', () => {
    const forms = new CanonicalForms();
    const r = request('query Q($n: Int) { a @include(if: $n) }', 'Q');
    for (let i = 0; i < CANONICAL_FORMS; i++) forms.formOf(r, { n: i }, true);
    const beyond = forms.formOf(r, { n: CANONICAL_FORMS + 1 }, true);
    expect(forms.formOf(r, { n: CANONICAL_FORMS + 1 }, true)).not.toBe(beyond);
    expect(forms.formOf(r, { n: 0 }, true)).toBe(forms.formOf(r, { n: 0 }, true));
  });
});
