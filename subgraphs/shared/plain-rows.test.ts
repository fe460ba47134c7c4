import { ReferenceKind, type EntityMetadata, type Platform } from '@mikro-orm/core';
import { describe, expect, it } from 'vitest';
import { plainRowMapper } from './plain-rows.js';

// What plainRowMapper declines: anything whose hydration it does not reproduce goes back to
// MikroORM's entity factory (findIn). That every real entity it maps answers as hydration does is
// test/find-in.test.ts, on seeded data, SQLite and PostgreSQL.

class Row {}
const platform = {} as Platform;
const meta = (props: object[], more: object = {}) =>
  ({ class: Row, props, hooks: {}, ...more }) as unknown as EntityMetadata;
const scalar = (name: string, extra: object = {}) => ({
  name,
  kind: ReferenceKind.SCALAR,
  fieldNames: [name],
  runtimeType: 'string',
  ...extra,
});

describe('plainRowMapper', () => {
  it('maps scalar columns to an instance of the class, null for a null column', () => {
    const map = plainRowMapper(
      meta([scalar('name'), scalar('open', { runtimeType: 'boolean' })]),
      platform,
    )!;
    const row = map({ name: 'x', open: 1 });
    expect(row).toBeInstanceOf(Row);
    expect({ ...row }).toEqual({ name: 'x', open: true });
    expect({ ...map({ name: null, open: null }) }).toEqual({ name: null, open: null });
    // A row without every column is not mapped: the caller hydrates it.
    expect(map({ name: 'x' })).toBeUndefined();
  });

  it.each([
    [
      'a relation',
      [
        scalar('id'),
        { name: 'village', kind: ReferenceKind.MANY_TO_ONE, fieldNames: ['village_id'] },
      ],
    ],
    ['a date', [scalar('id'), scalar('at', { runtimeType: 'Date' })]],
    ['a composite column', [scalar('id'), scalar('pair', { fieldNames: ['a', 'b'] })]],
    ['a scalar reference', [scalar('id'), scalar('lazy', { ref: true })]],
  ])('declines an entity with %s', (_what, props) => {
    expect(plainRowMapper(meta(props), platform)).toBeNull();
  });

  it('declines an entity with a discriminator, an onInit hook or a forced constructor', () => {
    expect(
      plainRowMapper(meta([scalar('id')], { discriminatorColumn: 'kind' }), platform),
    ).toBeNull();
    expect(plainRowMapper(meta([scalar('id')], { hooks: { onInit: ['x'] } }), platform)).toBeNull();
    expect(plainRowMapper(meta([scalar('id')], { forceConstructor: true }), platform)).toBeNull();
  });
});
