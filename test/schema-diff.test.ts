import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kind, parse, print, visit, type ObjectTypeDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSdlOf, readSupergraph } from '../scripts/api-schema.js';
import { diffApiSchemas, diffSupergraphs, main } from '../scripts/schema-diff.js';

const current = readSupergraph();

/** The current supergraph plus a field of the places-only VillageConnection type. */
function withExtraField(supergraph: string): string {
  const extra = parse('type T { legacyTotal: Int }').definitions[0] as ObjectTypeDefinitionNode;
  return print(
    visit(parse(supergraph), {
      ObjectTypeDefinition: (node) =>
        node.name.value === 'VillageConnection'
          ? { ...node, fields: [...(node.fields ?? []), extra.fields![0]] }
          : undefined,
    }),
  );
}

/** An API SDL without one field. */
function withoutField(sdl: string, type: string, field: string): string {
  return print(
    visit(parse(sdl), {
      FieldDefinition: (node, _k, _p, _path, ancestors) => {
        const parent = ancestors[ancestors.length - 1] as { kind: Kind; name?: { value: string } };
        return parent.kind === Kind.OBJECT_TYPE_DEFINITION &&
          parent.name?.value === type &&
          node.name.value === field
          ? null
          : undefined;
      },
    }),
  );
}

describe('schema diff', () => {
  it('reports a removed field as breaking and an added one as safe', async () => {
    const api = apiSdlOf(current);
    const removed = await diffApiSchemas(api, withoutField(api, 'Region', 'ruralVillageCount'));
    expect(removed.breaking.map((c) => [c.message, c.path, c.intended])).toEqual([
      [
        "Field 'ruralVillageCount' was removed from object type 'Region'",
        'Region.ruralVillageCount',
        false,
      ],
    ]);
    const added = await diffApiSchemas(withoutField(api, 'Region', 'ruralVillageCount'), api);
    expect(added.breaking).toEqual([]);
    expect(added.safe.map((c) => c.message)).toContain(
      "Field 'ruralVillageCount' was added to object type 'Region'",
    );
  });

  it('marks a listed change as intended', async () => {
    const result = await diffSupergraphs(withExtraField(current), current, [
      { path: 'VillageConnection.legacyTotal', reason: 'announced in the changelog' },
    ]);
    expect(result.breaking.map((c) => [c.path, c.intended])).toEqual([
      ['VillageConnection.legacyTotal', true],
    ]);
  });

  it('compares the API schemas only: federation machinery is not a change', async () => {
    const reformatted = print(parse(current));
    expect(await diffSupergraphs(current, reformatted)).toEqual({
      breaking: [],
      dangerous: [],
      safe: [],
    });
  });
});

describe('npm run schema:diff', () => {
  let repo: string;
  const run = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const lines: string[] = [];
    const code = await main(argv, { cwd: repo, env, out: (l) => lines.push(l) });
    return { code, text: lines.join('\n') };
  };
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], {
      cwd: repo,
      stdio: 'pipe',
    });

  // A repository whose last commit has the extra field and whose working tree removed it.
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'rdsg-schema-diff-'));
    mkdirSync(join(repo, 'schema'));
    git('init', '-q');
    writeFileSync(join(repo, 'schema/supergraph.graphql'), withExtraField(current));
    git('add', '.');
    git('commit', '-qm', 'base');
    writeFileSync(join(repo, 'schema/supergraph.graphql'), current);
    writeFileSync(join(repo, 'base.graphql'), withExtraField(current));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('exits 1 on a breaking change against HEAD, naming it', async () => {
    const { code, text } = await run([]);
    expect(code).toBe(1);
    expect(text).toContain(
      "Breaking (1)\n  Field 'legacyTotal' was removed from object type 'VillageConnection'  (VillageConnection.legacyTotal)",
    );
    expect(text).toContain('1 breaking change(s) not marked as intended.');
  });

  it('reads the base from a file or another ref, and passes with no change', async () => {
    expect((await run(['--base-file', 'base.graphql'])).code).toBe(1);
    writeFileSync(join(repo, 'schema/supergraph.graphql'), withExtraField(current));
    expect((await run(['--base', 'HEAD'])).code).toBe(0);
    writeFileSync(join(repo, 'schema/supergraph.graphql'), current);
    expect((await run(['--base', 'no-such-ref'])).code).toBe(2);
  });

  it('passes when the change is listed as intended or the flag is set', async () => {
    expect((await run([], { SCHEMA_ALLOW_BREAKING: '1' })).code).toBe(0);
    writeFileSync(
      join(repo, 'schema/intended-breaking-changes.json'),
      JSON.stringify({
        changes: [
          {
            message: "Field 'legacyTotal' was removed from object type 'VillageConnection'",
            reason: 'unused since 2021',
          },
        ],
      }),
    );
    const { code, text } = await run([]);
    expect(code).toBe(0);
    expect(text).toContain('[intended] Field');
    rmSync(join(repo, 'schema/intended-breaking-changes.json'));
  });
});
