/**
 * Fails when the repository's own TypeScript sources import each other in a circle (run by
 * `npm run lint`). Plain JavaScript on the installed `typescript` parser, so it needs no build.
 *
 *   node scripts/check-cycles.mjs [--root <dir>]
 *
 * The files are those of the root's tsconfig.json "include" (its "exclude" and node_modules,
 * dist and data left out), `.ts` but not `.d.ts`. An edge is every static `import … from`,
 * `import '…'` and `export … from` with a relative specifier; `import type` and `export type`
 * count too: they cost nothing at run time, but a cycle of types is still two files that cannot
 * be read or moved apart. Dynamic `import()` does not count (it runs when called, not when
 * loaded). Bare specifiers (packages) are not followed.
 */
import console from 'node:console';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';

const ALWAYS_SKIPPED = new Set(['node_modules', 'dist', 'data', '.git']);

/** The `.ts` files of the root's tsconfig.json "include" (folders or single files). */
export function sourceFiles(root) {
  const config = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
  const skipped = new Set([...ALWAYS_SKIPPED, ...(config.exclude ?? [])]);
  const files = [];
  const walk = (path) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path)) {
        if (!skipped.has(entry)) walk(join(path, entry));
      }
    } else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) {
      files.push(path);
    }
  };
  for (const entry of config.include ?? ['.']) walk(resolve(root, entry));
  return files.sort();
}

/** The repository files `file` imports statically, resolved from relative specifiers. */
export function importsOf(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const targets = [];
  for (const statement of source.statements) {
    const specifier =
      ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)
        ? statement.moduleSpecifier
        : undefined;
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
    const target = resolveRelative(dirname(file), specifier.text);
    if (target) targets.push(target);
  }
  return targets;
}

function resolveRelative(from, specifier) {
  const base = resolve(from, specifier);
  const candidates = [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    `${base}.ts`,
    join(base, 'index.ts'),
  ];
  return candidates.find((c) => c.endsWith('.ts') && existsSync(c) && statSync(c).isFile());
}

/**
 * Every import cycle, one per strongly connected group of files (Tarjan), each given as one
 * closed path through the group: [a, b, …, a].
 */
export function findCycles(graph) {
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const groups = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) groups.push(group);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return groups.map((group) => closedPath(graph, new Set(group), [...group].sort()[0]));
}

/** The shortest path from `start` back to itself inside `members` (breadth first). */
function closedPath(graph, members, start) {
  const previous = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = previous.get(u)) path.unshift(u);
        path.unshift(start);
        return path;
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

export function checkCycles(root) {
  const graph = new Map();
  for (const file of sourceFiles(root)) graph.set(file, importsOf(file));
  return { files: graph.size, cycles: findCycles(graph) };
}

const invokedDirectly =
  process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const { values } = parseArgs({ options: { root: { type: 'string', default: '.' } } });
  const root = resolve(values.root);
  const { files, cycles } = checkCycles(root);
  if (cycles.length === 0) {
    console.log(`check-cycles: no import cycle among ${files} files`);
  } else {
    console.error(`check-cycles: ${cycles.length} import cycle(s) among ${files} files:`);
    for (const cycle of cycles) {
      console.error(`  ${cycle.map((f) => relative(root, f)).join(' → ')}`);
    }
    process.exitCode = 1;
  }
}
