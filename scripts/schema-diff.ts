/**
 * Breaking-change check of the API schema (what clients see) between a base version of
 * schema/supergraph.graphql and the working tree's.
 *
 *   node dist/scripts/schema-diff.js                     base = HEAD's committed version
 *   node dist/scripts/schema-diff.js --base origin/main  base = that git ref's version
 *   node dist/scripts/schema-diff.js --base-file f.graphql
 *   options: --head-file <path> (default schema/supergraph.graphql), --json
 *
 * Lists breaking, dangerous and safe changes; exits 1 when a breaking change is not marked as
 * intended in schema/intended-breaking-changes.json (by its path or its exact message) and
 * SCHEMA_ALLOW_BREAKING=1 is not set.
 */
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { apiSdlOf, SUPERGRAPH_FILE } from './api-schema.js';

// graphql-inspector is loaded by Node, so its schemas must come from Node's copy of graphql-js
// (a bundler or test runner may give this module the other build of the same package).
const { buildSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

export const INTENDED_FILE = 'schema/intended-breaking-changes.json';

export interface IntendedChange {
  /** Schema coordinate as the diff reports it, e.g. `Region.ruralVillageCount`. */
  path?: string;
  /** Or the exact message of the change. */
  message?: string;
  /** Why clients can live with it (release note, migration). */
  reason: string;
}

export interface SchemaDiff {
  breaking: (Change & { intended: boolean })[];
  dangerous: Change[];
  safe: Change[];
}

/** Compares the API schemas of two supergraph SDLs. */
export async function diffSupergraphs(
  baseSupergraph: string,
  headSupergraph: string,
  intended: IntendedChange[] = [],
): Promise<SchemaDiff> {
  return diffApiSchemas(apiSdlOf(baseSupergraph), apiSdlOf(headSupergraph), intended);
}

export async function diffApiSchemas(
  baseSdl: string,
  headSdl: string,
  intended: IntendedChange[] = [],
): Promise<SchemaDiff> {
  const changes = await diff(buildSchema(baseSdl), buildSchema(headSdl));
  const isIntended = (c: Change) =>
    intended.some((i) => (i.path && i.path === c.path) || (i.message && i.message === c.message));
  const of = (level: CriticalityLevel) => changes.filter((c) => c.criticality.level === level);
  return {
    breaking: of(CriticalityLevel.Breaking).map((c) => ({ ...c, intended: isIntended(c) })),
    dangerous: of(CriticalityLevel.Dangerous),
    safe: of(CriticalityLevel.NonBreaking),
  };
}

export function readIntended(path: string): IntendedChange[] {
  if (!existsSync(path)) return [];
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { changes?: IntendedChange[] };
  return raw.changes ?? [];
}

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** The CLI, for a working copy at `cwd`; returns the exit code. */
export async function main(
  argv: string[],
  io: { cwd?: string; env?: NodeJS.ProcessEnv; out?: (line: string) => void } = {},
): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const env = io.env ?? process.env;
  const out = io.out ?? ((line: string) => console.log(line));
  const baseFile = option(argv, '--base-file');
  const ref = option(argv, '--base') ?? 'HEAD';
  const headFile = join(cwd, option(argv, '--head-file') ?? SUPERGRAPH_FILE);
  let base: string;
  try {
    base = baseFile
      ? readFileSync(join(cwd, baseFile), 'utf8')
      : execFileSync('git', ['show', `${ref}:${SUPERGRAPH_FILE}`], {
          cwd,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
  } catch (err) {
    out(`Cannot read the base schema (${baseFile ?? `${ref}:${SUPERGRAPH_FILE}`}): ${String(err)}`);
    return 2;
  }
  const result = await diffSupergraphs(
    base,
    readFileSync(headFile, 'utf8'),
    readIntended(join(cwd, INTENDED_FILE)),
  );
  const allowAll = env.SCHEMA_ALLOW_BREAKING === '1';
  const blocking = result.breaking.filter((c) => !c.intended && !allowAll);
  if (argv.includes('--json')) {
    out(JSON.stringify({ ...result, blocking: blocking.length }, null, 2));
  } else {
    out(`API schema changes from ${baseFile ?? ref} to the working tree:`);
    const section = (title: string, list: (Change & { intended?: boolean })[]) => {
      out(`\n${title} (${list.length})`);
      for (const c of list)
        out(`  ${c.intended ? '[intended] ' : ''}${c.message}${c.path ? `  (${c.path})` : ''}`);
    };
    section('Breaking', result.breaking);
    section('Dangerous', result.dangerous);
    section('Safe', result.safe);
    if (blocking.length) {
      out(`\n${blocking.length} breaking change(s) not marked as intended.`);
      out(`If clients were warned, list them in ${INTENDED_FILE} (path or message, and a reason),`);
      out('or run with SCHEMA_ALLOW_BREAKING=1.');
    } else if (result.breaking.length) {
      out('\nBreaking changes are all marked as intended.');
    }
  }
  return blocking.length ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exit(await main(process.argv.slice(2)));
}
