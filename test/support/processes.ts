import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
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

/**
 * Compiles the project to dist/, for tests that run the compiled code in processes of their
 * own, as `npm start` does. tsc emits even where a file does not type-check (`npm run
 * typecheck` is where that fails); its complaints are printed, not thrown.
 */
export async function compileDist(): Promise<void> {
  await promisify(execFile)(process.execPath, [
    'node_modules/typescript/bin/tsc',
    '-p',
    'tsconfig.json',
  ]).catch((err: { stdout?: string }) => console.error(`tsc: ${err.stdout ?? err}`));
}
