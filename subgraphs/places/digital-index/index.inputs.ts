/**
 * What the digital-village index reads of each domain: the domain's index-components type and
 * the fields of it the formula uses. The declarations places needs to `@requires` them
 * (index.externals.generated.ts) are generated from the domains' published SDL
 * (schema/<domain>.graphql) by `npm run schema:compose`, so that names, types, nullability and
 * descriptions are the owners' own; `npm run schema:check` fails when they drift.
 */
export const INDEX_SOURCES = {
  culture: {
    input: 'cultureIndexInput',
    type: 'CultureIndexComponents',
    className: 'CultureInputs',
    fields: ['coverage', 'usage'],
  },
  healthcare: {
    input: 'healthcareIndexInput',
    type: 'HealthcareIndexComponents',
    className: 'HealthcareInputs',
    fields: ['clinicAccess', 'assistedBookings'],
  },
  commerce: {
    input: 'commerceIndexInput',
    type: 'CommerceIndexComponents',
    className: 'CommerceInputs',
    fields: ['stores', 'onlineRevenue'],
  },
} as const;

/** Read of every domain: the place's code, whether it has figures, and where they come from. */
export const COMMON_INDEX_FIELDS = ['code', 'hasFigures', 'provenance'] as const;

/** Sub-selections of object-typed fields. */
export const INDEX_SUBSELECTIONS: Record<string, string> = { provenance: '{ kind }' };

export type IndexDomain = keyof typeof INDEX_SOURCES;

/** The selection every index field requires of a region or village. */
export const INDEX_INPUTS = Object.values(INDEX_SOURCES)
  .map(
    ({ input, fields }) =>
      `${input} { ${[...COMMON_INDEX_FIELDS, ...fields]
        .map((f) => (INDEX_SUBSELECTIONS[f] ? `${f} ${INDEX_SUBSELECTIONS[f]}` : f))
        .join(' ')} }`,
  )
  .join(' ');
