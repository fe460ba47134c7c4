import { parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { dropUnaskedTypenames, fillEmptySelections } from './empty-selections.js';

const DOC = parse(`query Q($c: Boolean!) {
  a: x @skip(if: false) { y @skip(if: $c) z @include(if: false) }
  b: x { y ...F }
  list { y @skip(if: $c) }
}
fragment F on X { z @include(if: $c) }`);

describe('fillEmptySelections', () => {
  it('selects __typename where every selection is left out, nowhere else', () => {
    const filled = print(fillEmptySelections(DOC, { c: true })!);
    expect(filled).toContain(
      'a: x @skip(if: false) {\n    y @skip(if: $c)\n    z @include(if: false)\n    __typename\n  }',
    );
    expect(filled).toContain('b: x {\n    y\n    ...F\n  }');
    expect(filled).toContain('list {\n    y @skip(if: $c)\n    __typename\n  }');
  });

  it('leaves a document whose selection sets all keep something', () => {
    expect(fillEmptySelections(DOC, { c: false })).toBeUndefined();
  });
});

describe('dropUnaskedTypenames', () => {
  it('drops the __typename the operation does not select there, in lists too', () => {
    const data = {
      a: { __typename: 'X' },
      b: { y: 1, __typename: 'X' },
      list: [{ __typename: 'X' }, { __typename: 'X' }],
    };
    dropUnaskedTypenames(data, DOC, 'Q', { c: true });
    expect(data).toEqual({ a: {}, b: { y: 1 }, list: [{}, {}] });
  });

  it("keeps the caller's own __typename, through fragments and conditions", () => {
    const doc = parse(`{ a: x { ... on X { __typename } } b: x { t: __typename y } }`);
    const data = { a: { __typename: 'X' }, b: { t: 'X', y: 1, __typename: 'X' } };
    dropUnaskedTypenames(data, doc, undefined, {});
    expect(data).toEqual({ a: { __typename: 'X' }, b: { t: 'X', y: 1 } });
  });
});
