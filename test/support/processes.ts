import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A port free on 127.0.0.1 right now (for a process the test starts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** What tsconfig.json compiles, and the files that change how. */
const SOURCE_DIRS = ['contract', 'gateway', 'subgraphs', 'scripts', 'test', 'bench'];
const SOURCE_FILES = ['tsconfig.json', 'package.json', 'vitest.config.ts'];

/** The newest modification time under `paths`: a change to any means what was built is stale. */
export function sourcesStamp(paths = [...SOURCE_DIRS, ...SOURCE_FILES]): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
  };
  for (const p of paths) visit(p);
  return newest;
}

/** The last compile of this process and the sources it saw (a worker runs many test files). */
let lastCompile: { stamp: number; result: Promise<string | undefined> } | undefined;

/**
 * Compiles the project to dist/, for tests that run the compiled code in processes of their
 * own, as `npm start` does; resolves with tsc's complaints, if any (tsc emits even where a file
 * does not type-check: `npm run typecheck` is where that fails). A worker compiles once for all
 * its test files unless a source changed since: tsc takes 15-20 s even when nothing changed
 * (it parses all 3,100 files), and five test files each compiled for themselves.
 */
export function compileDist(): Promise<string | undefined> {
  const stamp = sourcesStamp();
  if (lastCompile?.stamp !== stamp) {
    const result = promisify(execFile)(process.execPath, [
      'node_modules/typescript/bin/tsc',
      '-p',
      'tsconfig.json',
    ]).then(
      () => undefined,
      (err: { stdout?: string }) => `tsc: ${err.stdout ?? String(err)}`,
    );
    lastCompile = { stamp, result };
  }
  return lastCompile.result.then((complaints) => {
    if (complaints) process.stderr.write(`${complaints}\n`);
    return complaints;
  });
}
