import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cultureSubgraph } from '../subgraphs/culture/index.js';
import { bootSubgraph, type BootedSubgraph } from './support/subgraph.js';

/**
 * `_entities` as only a caller that reaches a subgraph directly can send it. The gateway sends
 * well-formed representations; anything else was answered INTERNAL_SERVER_ERROR once per
 * representation, with a stack trace logged for each (100,000 of them: a 24 MB answer, 1.4 GB
 * of memory, 135 MB of log). Now the first bad one fails the call, BAD_USER_INPUT naming it.
 */
const SONGYANG = '331124';
const VILLAGE = '331124001001';
const ENTITIES =
  'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Village { code culture { auditorium { name } } } } }';

let culture: BootedSubgraph;
beforeAll(async () => {
  culture = await bootSubgraph(cultureSubgraph, { scopes: [SONGYANG] });
});
afterAll(() => culture?.close());

describe('_entities with representations the gateway never sends', () => {
  it.each([
    ['a village without its code', { __typename: 'Village' }, 'representations[1].code'],
    ['a numeric code', { __typename: 'Village', code: 331124001002 }, 'representations[1].code'],
    ['an empty code', { __typename: 'Village', code: '' }, 'representations[1].code'],
    ['a type that is no entity', { __typename: 'Query', code: VILLAGE }, 'representations[1]'],
    ['an unknown type', { __typename: 'Nope', code: VILLAGE }, 'representations[1]'],
    ['no type', { code: VILLAGE }, 'representations[1]'],
    ['not an object', 'Village', 'representations[1]'],
    // The string check of every argument, which names the field it refuses.
    [
      'a NUL in a field',
      { __typename: 'Village', code: VILLAGE, x: 'a\u0000' },
      'representations[1].x',
    ],
    [
      'a lone surrogate in a key',
      { __typename: 'Village', code: VILLAGE, '\ud800': 1 },
      'representations[1].\ud800',
    ],
  ])('%s: BAD_USER_INPUT naming it, once', async (_, bad, field) => {
    const r = [{ __typename: 'Village', code: VILLAGE }, ...Array(1000).fill(bad)];
    const res = await culture.query(ENTITIES, { r });
    expect(res.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field }]);
  });

  it('answers well-formed ones as before', async () => {
    const r = [
      { __typename: 'Village', code: VILLAGE },
      { __typename: 'Region', code: SONGYANG },
    ];
    const res = await culture.query(ENTITIES, { r });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      _entities: [{ code: VILLAGE, culture: expect.anything() }, {}],
    });
  });
});
