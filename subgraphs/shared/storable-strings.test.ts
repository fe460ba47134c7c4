import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { badUserInput } from './errors.js';
import { assertStorableStrings } from './storable-strings.js';

/**
 * The check as it was before it looked at a value without paths first: every string walked with
 * its path, the first bad one refused. The check must refuse exactly what this refuses, with the
 * same message and field, and accept the rest.
 */
function reference(args: unknown, path: string): void {
  if (typeof args === 'string') {
    if (args.includes('\u0000'))
      throw badUserInput(`\`${path}\` must not contain NUL characters.`, path);
    if (!(args as unknown as { isWellFormed(): boolean }).isWellFormed())
      throw badUserInput(
        `\`${path}\` must be well-formed Unicode (it holds half of a surrogate pair).`,
        path,
      );
    return;
  }
  if (Array.isArray(args)) return args.forEach((item, i) => reference(item, `${path}[${i}]`));
  if (args !== null && typeof args === 'object')
    for (const [key, value] of Object.entries(args)) {
      const at = path ? `${path}.${key}` : key;
      reference(key, at);
      reference(value, at);
    }
}

const outcome = (check: (args: unknown, path: string) => void, args: unknown, path: string) => {
  try {
    check(args, path);
    return 'accepted';
  } catch (err) {
    expect(err).toBeInstanceOf(GraphQLError);
    const e = err as GraphQLError;
    return { message: e.message, extensions: e.extensions };
  }
};

const rep = (code: unknown, extra: Record<string, unknown> = {}) => ({
  __typename: 'Village',
  code,
  ...extra,
});
const nullProto = Object.assign(Object.create(null) as object, { a: 'x', ['b\u0000']: 1 });
const inherited = Object.create({ inheritedBad: 'x\u0000' }) as Record<string, unknown>;
inherited.own = 'fine';

const CASES: [string, unknown][] = [
  ['20 well-formed representations', Array.from({ length: 20 }, (_, i) => rep(`33112400100${i}`))],
  ['a NUL in the 13th code', Array.from({ length: 20 }, (_, i) => rep(i === 12 ? 'a\u0000' : 'b'))],
  ['a lone surrogate in a code', [rep('x'), rep('\ud800')]],
  ['a surrogate pair (well-formed)', [rep('\ud83d\ude00')]],
  ['a NUL in a key', [rep('x', { ['k\u0000']: 1 })]],
  ['a lone surrogate in a key', [rep('x', { ['\udc00']: 'v' })]],
  [
    'a bad string deep in a required field',
    [rep('x', { children: [{ code: 'a' }, { c: ['\ud800'] }] })],
  ],
  ['a NUL and then a surrogate: the first is named', [rep('x', { a: '\u0000', b: '\ud800' })]],
  ['numbers, booleans, nulls', [rep(1, { a: null, b: true, c: [1.5, null] })]],
  ['an empty list and object', [[], {}]],
  ['a plain string', 'abc'],
  ['a plain bad string', 'a\u0000'],
  ['an object without a prototype', [nullProto]],
  ['an inherited bad property is not own', [inherited]],
  ['nested lists', [[['ok', ['\ud800']]]]],
];

describe('assertStorableStrings', () => {
  it.each(CASES)('%s: as the walk with paths answers', (_, args) => {
    for (const path of ['representations', 'input', ''])
      expect(outcome(assertStorableStrings, args, path)).toEqual(outcome(reference, args, path));
  });

  it('refuses what it should (the cases are not all accepted)', () => {
    const refused = CASES.filter(([, a]) => outcome(assertStorableStrings, a, 'r') !== 'accepted');
    expect(refused.map(([name]) => name)).toEqual([
      'a NUL in the 13th code',
      'a lone surrogate in a code',
      'a NUL in a key',
      'a lone surrogate in a key',
      'a bad string deep in a required field',
      'a NUL and then a surrogate: the first is named',
      'a plain bad string',
      'an object without a prototype',
      'nested lists',
    ]);
    expect(outcome(assertStorableStrings, CASES[1][1], 'representations')).toEqual({
      message: '`representations[12].code` must not contain NUL characters.',
      extensions: { code: 'BAD_USER_INPUT', field: 'representations[12].code' },
    });
  });
});
