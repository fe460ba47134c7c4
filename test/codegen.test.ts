import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSchema, parse, print, validate, visit } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSdlOf, readSupergraph } from '../scripts/api-schema.js';
import { CLIENT_DIR, GENERATED_FILE, generateClient, readOperations } from '../scripts/codegen.js';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const apiSdl = apiSdlOf(readSupergraph());
const operations = readOperations();

/** Type-checks a copy of the example client with the given generated module; '' when clean. */
function compileWith(dir: string, generated: string): string {
  writeFileSync(join(dir, GENERATED_FILE), generated);
  try {
    execFileSync(process.execPath, [tsc, '-p', dir], { stdio: 'pipe', encoding: 'utf8' });
    return '';
  } catch (err) {
    return String((err as { stdout?: string }).stdout);
  }
}

/** The API SDL with one field's type changed. */
function withFieldType(sdl: string, type: string, field: string, newType: string): string {
  let inType = '';
  return print(
    visit(parse(sdl), {
      ObjectTypeDefinition: { enter: (n) => void (inType = n.name.value) },
      FieldDefinition: (n) =>
        inType === type && n.name.value === field
          ? {
              ...n,
              type: (
                parse(`type X { f: ${newType} }`).definitions[0] as never as {
                  fields: { type: unknown }[];
                }
              ).fields[0].type,
            }
          : undefined,
    }),
  );
}

describe('example typed client', () => {
  let dir: string;
  beforeAll(() => {
    // A scratch copy beside node_modules, so imports resolve as in the repository.
    dir = mkdtempSync(join(tmpdir(), 'rdsg-client-'));
    cpSync(resolve(CLIENT_DIR), dir, { recursive: true });
    symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is regenerated from the current supergraph exactly as committed, and compiles', async () => {
    const generated = await generateClient(apiSdl, operations);
    expect(
      generated === readFileSync(join(CLIENT_DIR, GENERATED_FILE), 'utf8'),
      'clients/example is stale: run `npm run codegen` and commit the result',
    ).toBe(true);
    expect(compileWith(dir, generated)).toBe('');
  });

  it('fails when the schema loses a field an operation uses', async () => {
    const without = print(
      visit(parse(apiSdl), {
        FieldDefinition: (n) => (n.name.value === 'ruralVillageCount' ? null : undefined),
      }),
    );
    const errors = operations.flatMap((o) =>
      validate(buildSchema(without), parse(o.text)).map((e) => `${o.location}: ${e.message}`),
    );
    expect(errors).toEqual([
      `${CLIENT_DIR}/operations/region-overview.graphql: Cannot query field "ruralVillageCount" on type "Region". Did you mean "villageCount"?`,
      `${CLIENT_DIR}/operations/region-overview.graphql: Cannot query field "ruralVillageCount" on type "Region". Did you mean "villageCount"?`,
    ]);
    await expect(generateClient(without, operations)).rejects.toThrow(/ruralVillageCount/);
  });

  it('fails to compile when a field the code relies on becomes nullable', async () => {
    const nullable = withFieldType(apiSdl, 'Village', 'name', 'String');
    const generated = await generateClient(nullable, operations);
    expect(compileWith(dir, generated)).toMatch(
      /src\/example\.ts\(\d+,\d+\): error TS18047: 'village\.name' is possibly 'null'\./,
    );
  });
});
