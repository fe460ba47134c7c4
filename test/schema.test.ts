import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSchemaFiles, staleFiles } from '../scripts/schema-files.js';

const copy = mkdtempSync(join(tmpdir(), 'schema-check-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('schema drift check', () => {
  it('finds the committed schema files up to date with the code', async () => {
    const { files } = await generateSchemaFiles();
    // File by file, so that a failure shows the lines that differ.
    for (const name of staleFiles('schema', files)) {
      expect(files.get(basename(name)), `${name} differs from the code`).toBe(
        readFileSync(name, 'utf8'),
      );
    }
    expect(staleFiles('schema', files)).toEqual([]);
    expect(readFileSync('schema/supergraph.graphql', 'utf8')).toMatch(
      /^# generated .* do not edit/,
    );
  });

  it('reports a file that no longer matches what the code produces', async () => {
    const { files } = await generateSchemaFiles();
    cpSync('schema', copy, { recursive: true });
    const path = join(copy, 'culture.graphql');
    // As if the code had changed a type without `npm run schema:compose` being run.
    writeFileSync(path, readFileSync(path, 'utf8') + '\ntype Uncomposed {\n  field: Int\n}\n');
    expect(staleFiles(copy, files)).toEqual([path]);
  });
});
