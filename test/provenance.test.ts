import {
  getNamedType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLObjectType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { apiSchemaOf, readSupergraph } from '../scripts/api-schema.js';

/** Scalars that carry a figure (a count, a sum, a share, minutes…). */
const NUMERIC = new Set(['Int', 'Float', 'SafeInt', 'BigInt']);
/** Numeric fields that are not figures: sizes of a page's list, positions, calendar years. */
const NOT_FIGURES = new Set(['totalCount', 'rank', 'year', 'sinceYear']);

/**
 * Parts of a figure: object types without a provenance of their own, only ever returned by a
 * field of a type that has one (which covers them). Checked below.
 */
const PARTS = new Set([
  'AssistedSessions',
  'CategoryStoreCount',
  'DigitalIndexComponents',
  'PlatformStoreCount',
  'RegionBookingMonth',
  'RegionUsageMonth',
  'SalesMonth',
]);

/** Documented exceptions (also in docs/data.md, "Provenance"). */
const EXCEPTIONS: Record<string, string> = {
  RegionHealthcare:
    'ruralVillageCount counts the rural villages of the official division data (OFFICIAL, as ' +
    'Region.provenance says); doctorsPer1000Residents is always null. Every other figure is in ' +
    'a sub-object with its own provenance.',
};

function figures(type: GraphQLObjectType): GraphQLField<unknown, unknown>[] {
  return Object.values(type.getFields()).filter((f) => {
    const named = getNamedType(f.type);
    return isScalarType(named) && NUMERIC.has(named.name) && !NOT_FIGURES.has(f.name);
  });
}

const hasProvenance = (t: GraphQLObjectType) =>
  getNamedType(t.getFields().provenance?.type)?.name === 'Provenance';

describe('provenance on every figure of the composed API', () => {
  const schema = apiSchemaOf(readSupergraph());
  const objectTypes = Object.values(schema.getTypeMap()).filter(
    (t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'),
  );

  it('gives every object type with a numeric figure a provenance field', () => {
    const missing = objectTypes
      .filter((t) => !['Query', 'Mutation'].includes(t.name))
      .filter((t) => figures(t).length > 0 && !PARTS.has(t.name) && !(t.name in EXCEPTIONS))
      .filter((t) => !hasProvenance(t))
      .map(
        (t) =>
          `${t.name}: ${figures(t)
            .map((f) => f.name)
            .join(', ')}`,
      );
    expect(missing).toEqual([]);
  });

  it('returns parts of figures only from types that carry a provenance', () => {
    const parents = objectTypes.flatMap((t) =>
      Object.values(t.getFields())
        .filter((f) => PARTS.has(getNamedType(f.type).name))
        .map((f) => ({ part: getNamedType(f.type).name, parent: t, field: f.name })),
    );
    expect(new Set(parents.map((p) => p.part))).toEqual(PARTS);
    expect(
      // A part inside a part is covered by the outer part's parent, checked in turn.
      parents
        .filter((p) => !hasProvenance(p.parent) && !PARTS.has(p.parent.name))
        .map((p) => `${p.parent.name}.${p.field}`),
    ).toEqual([]);
  });

  it('keeps the documented exceptions real', () => {
    for (const name of Object.keys(EXCEPTIONS)) {
      const type = schema.getType(name);
      expect(isObjectType(type) && !hasProvenance(type)).toBe(true);
    }
  });

  it('uses one shared Provenance shape with the three kinds', () => {
    const provenance = schema.getType('Provenance') as GraphQLObjectType;
    expect(Object.keys(provenance.getFields()).sort()).toEqual(['asOf', 'kind', 'note', 'source']);
    const kind = schema.getType('ProvenanceKind');
    expect(kind && 'getValues' in kind ? kind.getValues().map((v) => v.name) : []).toEqual([
      'OFFICIAL',
      'REPORTED',
      'SYNTHETIC',
    ]);
  });
});
