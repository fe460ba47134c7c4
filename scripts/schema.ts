/**
 * Emits each subgraph's SDL to schema/<name>.graphql and composes schema/supergraph.graphql.
 *
 *   node dist/scripts/schema.js compose   write the files
 *   node dist/scripts/schema.js check     fail if the committed files differ from the code
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSchemaFiles, staleFiles } from './schema-files.js';

const mode = process.argv[2];
if (mode !== 'compose' && mode !== 'check') {
  console.error('usage: schema.js <compose|check>');
  process.exit(2);
}
const dir = 'schema';
let generated;
try {
  generated = await generateSchemaFiles();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
if (mode === 'compose') {
  for (const [name, text] of generated.files) writeFileSync(join(dir, name), text);
  console.log(`wrote ${[...generated.files.keys()].map((f) => join(dir, f)).join(', ')}`);
  for (const hint of generated.hints) console.log(`hint: ${hint}`);
} else {
  const stale = staleFiles(dir, generated.files);
  if (stale.length > 0) {
    console.error(`Schema drift: ${stale.join(', ')} differ from the code.`);
    console.error('Run `npm run schema:compose` and commit the result.');
    process.exit(1);
  }
  console.log(`schema up to date (${generated.files.size} files)`);
}
