/**
 * Emits each subgraph's SDL to schema/<name>.graphql and composes schema/supergraph.graphql.
 *
 *   node dist/scripts/schema.js compose   write the files
 *   node dist/scripts/schema.js check     fail if the committed files differ from the code
 *
 * Also places' declarations of the domains' index inputs (index-externals.ts), generated from
 * the domains' SDL: when they change, places' own SDL changes with them once rebuilt, so
 * compose asks to be run again after `npm run build`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateIndexExternals, INDEX_EXTERNALS_FILE } from './index-externals.js';
import { generateSchemaFiles, staleFiles } from './schema-files.js';

const mode = process.argv[2];
if (mode !== 'compose' && mode !== 'check') {
  console.error('usage: schema.js <compose|check>');
  process.exit(2);
}
const dir = 'schema';
let generated;
let externals;
try {
  generated = await generateSchemaFiles();
  externals = await generateIndexExternals(generated.files);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const externalsStale =
  !existsSync(INDEX_EXTERNALS_FILE) || readFileSync(INDEX_EXTERNALS_FILE, 'utf8') !== externals;
if (mode === 'compose') {
  for (const [name, text] of generated.files) writeFileSync(join(dir, name), text);
  console.log(`wrote ${[...generated.files.keys()].map((f) => join(dir, f)).join(', ')}`);
  for (const hint of generated.hints) console.log(`hint: ${hint}`);
  if (externalsStale) {
    writeFileSync(INDEX_EXTERNALS_FILE, externals);
    console.log(`wrote ${INDEX_EXTERNALS_FILE}: run \`npm run schema:compose\` again for places`);
  }
} else {
  const stale = [
    ...staleFiles(dir, generated.files),
    ...(externalsStale ? [INDEX_EXTERNALS_FILE] : []),
  ];
  if (stale.length > 0) {
    console.error(`Schema drift: ${stale.join(', ')} differ from the code.`);
    console.error('Run `npm run schema:compose` and commit the result.');
    process.exit(1);
  }
  console.log(`schema up to date (${generated.files.size} files)`);
}
