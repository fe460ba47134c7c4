import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';

/**
 * The one shape of a domain subgraph (README: "Adding a subgraph"): the same role folders with
 * the same role-suffixed files in culture, healthcare and commerce; feature folders (one per
 * feature: auditorium/, facility/, store/ …) hold `.entity .inputs .loaders .resolver
 * .mutations .types .reference` files and plain helpers. Places follows it where it applies.
 */
const ROOT = join(import.meta.dirname, '..', 'subgraphs');
const DOMAINS = ['culture', 'healthcare', 'commerce'] as const;

/** Role folders and the files each must hold (`<d>`: the domain's name). */
const ROLE_FILES: Record<string, string[]> = {
  '.': ['README.md', 'context.ts', 'index.ts', 'main.ts', 'schema.ts'],
  village: ['village.reference.ts', 'village-<d>.resolver.ts'],
  region: ['region.reference.ts', 'region-<d>.resolver.ts', 'region-ranking.resolver.ts'],
  rollup: ['rollup.entity.ts', 'rollup.loaders.ts', 'rollup.rebuild.ts'],
  'index-components': ['<d>-index.resolver.ts'],
  seed: ['<d>.seed.ts'],
  migrations: ['index.ts', 'sqlite', 'postgresql'],
  test: [],
};

/** What a decorator may only appear in: the role of the file that declares it. */
const DECLARED_IN: [RegExp, RegExp, string][] = [
  [/^@Entity\(/m, /\.entity\.ts$/, 'entities in .entity.ts'],
  [/@InputType\(/, /\.inputs\.ts$/, 'input types in .inputs.ts'],
  [/@(Write)?Mutation\(/, /\.mutations\.ts$/, 'mutations in .mutations.ts'],
  [/^@Resolver\(/m, /\.(resolver|mutations)\.ts$/, 'resolvers in .resolver.ts or .mutations.ts'],
  [/@(RegionConnection|Connection|ById)?Query\(/, /\.resolver\.ts$/, 'queries in .resolver.ts'],
];

/**
 * What every subgraph declares alike through subgraphs/shared, so that the same argument reads
 * and is costed the same everywhere: [what a file may not write itself, what to use instead,
 * files with a reason of their own].
 */
const SHARED_DECLARATIONS: [RegExp, string, string[]][] = [
  [
    /@Arg\('(first|after)'/,
    'paging arguments: PageArgs or FirstArg (shared/pagination.ts)',
    // The change feed pages by up to 1,000 changes, not by the shared page size.
    ['places/changes/change-feed.resolver.ts'],
  ],
  [/@Arg\('(from|to)'/, 'month arguments: MonthArg (shared/arguments.ts)', []],
  [
    /@MonthArg\('(from|to)'\)/,
    "a field over a month range: MonthRangeField's (root, ctx, from, to) (shared/months.ts)",
    [],
  ],
  [/@Field\([^;]*YYYY-MM(?!-)/, 'month fields: MonthField (shared/arguments.ts)', []],
  [/@Arg\('by'/, "a ranking's figure: RankByArg (shared/ranking.ts)", []],
  [
    /^\s*rank!: number;/m,
    "a ranking's entries: extends RankEntry(Region) (shared/ranking.ts)",
    // Places ranks places by the digital-village index, an object, not a domain's figure.
    ['places/digital-index/index.resolver.ts'],
  ],
  [
    /@Directive\('@inaccessible'\)/,
    "a domain's index inputs: indexFieldResolvers (shared/index-components.ts)",
    // Places' own input to the index rankings (the villages it ranks) and the scopes it holds
    // (Region.loadedScopes, for the domains' NOT_LOADED check), not a domain's; and
    // healthcare's internal lookup for the change feed (villages helped at an auditorium).
    [
      'places/digital-index/index.resolver.ts',
      'places/region/region.resolver.ts',
      'healthcare/assistance/auditorium-neighbours.resolver.ts',
    ],
  ],
  [
    /@(Query|FieldResolver)\(\(\) => \w+Connection\b|@Directive\(\s*['`]@listSize\(slicingArguments/,
    'connection fields and their demand control: ConnectionQuery, ConnectionField',
    // The change feed's own page (`nodes`, up to 1,000 changes) is costed by its own @listSize.
    ['places/changes/change-feed.resolver.ts'],
  ],
  [
    /_LIST_SIZE\b/,
    'connection and ranking fields: ConnectionQuery, ConnectionField, RankingField',
    // The index rankings are nullable and computed from inputs the gateway sends, not weighed
    // as rollup reads (RankingField's @cost).
    ['places/digital-index/index.resolver.ts'],
  ],
  [
    /@Mutation\(|requireWriter\(/,
    'writes and their scope: WriteMutation (shared/write-once.ts)',
    [],
  ],
  [
    /@RankByArg\(|@usageMonthArg\(/,
    "a ranking's figure and month range: RankingField's (view, ctx, by, from, to) (shared/ranking.ts)",
    [],
  ],
  [
    /@Arg\('regionCode'/,
    'a root connection of the records in a region: RegionConnectionQuery (shared/pagination.ts)',
    [],
  ],
  [/@Arg\('id', \(\) => ID\)/, 'a record by its id: ByIdQuery (shared/by-id.ts)', []],
  [
    /@Arg\('input'/,
    "a mutation's input, context and info: WriteMutation's (input, ctx, info) (shared/write-once.ts)",
    [],
  ],
  [
    /(rowLoader|groupLoader)<[^>]*>\(\s*\(\w+\) =>\s*findIn\(/,
    'loaders by one column: rowBy, rowsBy (shared/loaders.ts)',
    [],
  ],
  [
    /registerEnumType\(/,
    'enums whose values are their names, each described once: describedEnum (shared/enums.ts)',
    [
      // The change feed's domains are stored lowercase ('culture'), not by their names.
      'places/changes/change-feed.resolver.ts',
      // The days of the week need no description each.
      'healthcare/facility/facility.types.ts',
    ],
  ],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'migrations' ? [] : sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('every domain subgraph has the same shape', () => {
  it.each(DOMAINS)('%s has every role folder with its role files', (domain) => {
    const missing: string[] = [];
    for (const [folder, files] of Object.entries(ROLE_FILES)) {
      const dir = join(ROOT, domain, folder);
      if (!existsSync(dir)) missing.push(`${folder}/`);
      for (const file of files) {
        const name = file.replace('<d>', domain);
        if (!existsSync(join(dir, name))) missing.push(join(folder, name));
      }
    }
    expect(missing).toEqual([]);
  });

  it('places has the role folders that apply to it', () => {
    const folders = ['village', 'region', 'seed', 'migrations', 'test'];
    expect(folders.filter((f) => !existsSync(join(ROOT, 'places', f)))).toEqual([]);
    for (const file of ROLE_FILES['.']) expect(existsSync(join(ROOT, 'places', file))).toBe(true);
  });

  it.each([...DOMAINS, 'places'])('%s declares each kind of thing in its role file', (domain) => {
    const misplaced: string[] = [];
    for (const file of sourceFiles(join(ROOT, domain))) {
      const text = readFileSync(file, 'utf8');
      for (const [declaration, role, rule] of DECLARED_IN) {
        if (declaration.test(text) && !role.test(file)) {
          misplaced.push(`${relative(ROOT, file)}: ${rule}`);
        }
      }
    }
    expect(misplaced).toEqual([]);
  });

  it.each([...DOMAINS, 'places'])('%s declares shared arguments and fields the shared way', (d) => {
    const own: string[] = [];
    for (const file of sourceFiles(join(ROOT, d))) {
      const text = readFileSync(file, 'utf8');
      const name = relative(ROOT, file);
      for (const [declaration, instead, exempt] of SHARED_DECLARATIONS) {
        if (declaration.test(text) && !exempt.includes(name)) own.push(`${name}: ${instead}`);
      }
    }
    expect(own).toEqual([]);
  });

  it('costs every connection of the composed schema by its `first` (@listSize)', () => {
    const supergraph = readFileSync(join(ROOT, '..', 'schema', 'supergraph.graphql'), 'utf8');
    const unsized: string[] = [];
    let connections = 0;
    for (const def of parse(supergraph).definitions) {
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
      for (const field of def.fields ?? []) {
        let type = field.type;
        while (type.kind !== Kind.NAMED_TYPE) type = type.type;
        if (!type.name.value.endsWith('Connection')) continue;
        connections += 1;
        if (!field.directives?.some((d) => d.name.value === 'listSize')) {
          unsized.push(`${def.name.value}.${field.name.value}`);
        }
      }
    }
    expect(connections).toBeGreaterThan(10);
    expect(unsized).toEqual([]);
  });

  it('names no file with a singular role (.mutation.ts, .input.ts, .loader.ts, .type.ts)', () => {
    const all = [...DOMAINS, 'places', 'shared'].flatMap((d) => sourceFiles(join(ROOT, d)));
    const singular = all.filter((f) => /\.(mutation|input|loader|type)\.ts$/.test(f));
    expect(singular.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('keeps what the domains share in subgraphs/shared, which imports no domain', () => {
    const imports = sourceFiles(join(ROOT, 'shared')).filter((f) =>
      /from '\.\.\/(culture|healthcare|commerce|places)\//.test(readFileSync(f, 'utf8')),
    );
    expect(imports).toEqual([]);
  });
});
