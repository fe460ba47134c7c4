/**
 * Fails when a source file of the repository is over 300 lines (run by `npm run lint`): a file
 * a newcomer cannot read in one sitting is split by concern instead. Plain JavaScript, no build.
 *
 *   node scripts/check-size.mjs [--root <dir>] [--max <lines>]
 *
 * The files are those check-cycles.mjs reads (the root's tsconfig.json "include", `.ts` but not
 * `.d.ts`). Generated files are not held to it: a path with a `generated` folder or a
 * `.generated.` name, and migrations (written by `npm run migration:create`).
 */
import console from 'node:console';
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sourceFiles } from './check-cycles.mjs';

export const MAX_LINES = 300;

export function generated(path) {
  const parts = path.split(sep);
  return (
    parts.includes('generated') || parts.includes('migrations') || /\.generated\.ts$/.test(path)
  );
}

/** The lines of a file as an editor numbers them (a final newline ends the last line). */
export function lineCount(text) {
  if (text.length === 0) return 0;
  const lines = text.split('\n').length;
  return text.endsWith('\n') ? lines - 1 : lines;
}

/** Every non-generated source file over `max` lines, longest first. */
export function checkSize(root, max = MAX_LINES) {
  const files = sourceFiles(root).filter((f) => !generated(relative(root, f)));
  const over = files
    .map((file) => ({ file, lines: lineCount(readFileSync(file, 'utf8')) }))
    .filter(({ lines }) => lines > max)
    .sort((a, b) => b.lines - a.lines);
  return { files: files.length, over };
}

const invokedDirectly =
  process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const { values } = parseArgs({
    options: { root: { type: 'string', default: '.' }, max: { type: 'string' } },
  });
  const root = resolve(values.root);
  const max = values.max ? Number(values.max) : MAX_LINES;
  const { files, over } = checkSize(root, max);
  if (over.length === 0) {
    console.log(`check-size: no source file over ${max} lines among ${files} files`);
  } else {
    console.error(`check-size: ${over.length} source file(s) over ${max} lines:`);
    for (const { file, lines } of over) console.error(`  ${relative(root, file)}: ${lines}`);
    process.exitCode = 1;
  }
}
