import { Embedded, Enum, Index, MetadataStorage, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, getMetadataStorage, ID, Int } from 'type-graphql';
import { MonthField } from './arguments.js';
import { describe, expect, it } from 'vitest';
import * as column from './columns.js';
import { Provenance, ProvenanceKind } from './provenance.js';

class ByHand {
  @Field(() => ID, { description: 'Key.' })
  @PrimaryKey({ type: 'string', length: 60 })
  id!: string;

  @Field(() => String, { description: 'Name.' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => ID, { nullable: true, description: 'Village.' })
  @Index()
  @Property({ type: 'string', length: 12, nullable: true })
  villageCode!: string | null;

  @Property({ type: 'string', length: 6 })
  countyCode!: string;

  @Field(() => Int, { nullable: true, description: 'Seats.' })
  @Property({ type: 'integer', nullable: true })
  seats!: number | null;

  @Field(() => ProvenanceKind, { nullable: true, description: 'Kind.' })
  @Index()
  @Enum({ items: () => ProvenanceKind, nullable: true })
  kind!: ProvenanceKind | null;

  @Field(() => ProvenanceKind, { description: 'Usual kind.' })
  @Enum({ items: () => ProvenanceKind, default: ProvenanceKind.SYNTHETIC })
  usualKind!: ProvenanceKind;

  @Field(() => Provenance, { description: 'Source.' })
  @Embedded(() => Provenance, { prefix: 'provenance_' })
  provenance!: Provenance;

  @MonthField('month')
  @PrimaryKey({ type: 'string', length: 7 })
  month!: string;
}

/** A rollup row's key, by hand. */
class RollupByHand {
  @PrimaryKey({ type: 'string', length: 9 })
  regionCode!: string;

  @PrimaryKey({ type: 'string', length: 7 })
  month!: string;
}

class ByColumn {
  @column.Key('Key.', 60)
  id!: string;

  @column.Title('Name.')
  name!: string;

  @column.DivisionCode('village', { nullable: true, description: 'Village.' })
  villageCode!: string | null;

  @column.DivisionCode('county', { indexed: false })
  countyCode!: string;

  @column.Integer('Seats.', { nullable: true })
  seats!: number | null;

  @column.Enum(() => ProvenanceKind, 'Kind.', { nullable: true, indexed: true })
  kind!: ProvenanceKind | null;

  @column.Enum(() => ProvenanceKind, 'Usual kind.', { default: ProvenanceKind.SYNTHETIC })
  usualKind!: ProvenanceKind;

  @column.Provenance('Source.')
  provenance!: Provenance;

  @column.Month({ field: true })
  month!: string;
}

class RollupByColumn {
  @column.RegionKey('township')
  regionCode!: string;

  @column.Month()
  month!: string;
}

/** Plain data of metadata: a class as its name, a type thunk (`() => Provenance`) as its class's. */
function plain(value: unknown): unknown {
  const named = (v: { name: string; prototype?: unknown }) =>
    v.prototype ? v.name : `=> ${(v as unknown as () => { name: string })().name}`;
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'function' ? named(v as { name: string }) : v,
    ),
  );
}

function ormColumns(entity: object) {
  const meta = MetadataStorage.getMetadataFromDecorator(entity);
  return plain({ properties: meta.properties, indexes: meta.indexes });
}

function graphqlFields(target: object) {
  return getMetadataStorage()
    .fields.filter((f) => f.target === target)
    .map((f) =>
      plain({ name: f.name, type: f.getType(), options: f.typeOptions, desc: f.description }),
    );
}

describe('column helpers', () => {
  it('declare the same columns and fields as the decorators they stand for', () => {
    expect(ormColumns(ByColumn)).toEqual(ormColumns(ByHand));
    expect(graphqlFields(ByColumn)).toEqual(graphqlFields(ByHand));
    expect(ormColumns(RollupByColumn)).toEqual(ormColumns(RollupByHand));
    expect(graphqlFields(RollupByColumn)).toEqual([]);
    expect(graphqlFields(ByColumn).map((f) => (f as { name: string }).name)).toEqual([
      'id',
      'name',
      'villageCode',
      'seats',
      'kind',
      'usualKind',
      'provenance',
      'month',
    ]);
  });
});
