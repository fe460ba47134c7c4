/**
 * Runs the whole stack on one machine: migrates and (on first run) seeds the SQLite databases,
 * starts the four subgraphs and the gateway as child processes, and stops them all on
 * Ctrl-C / SIGTERM. Used by `npm start`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const dist = dirname(dirname(fileURLToPath(import.meta.url)));
const SUBGRAPHS = ['places', 'culture', 'healthcare', 'commerce'];
const env = { ...process.env, APOLLO_TELEMETRY_DISABLED: '1', METADATA_SERVER_DETECTION: 'none' };
const children: ChildProcess[] = [];
let stopping = false;

function run(script: string, args: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [join(dist, script), ...args], { env, stdio: 'inherit' });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping && script !== 'scripts/seed.js') {
      console.error(`${script} exited (${signal ?? code}); stopping the stack`);
      void stop(1);
    }
  });
  return child;
}

async function stop(exitCode: number) {
  if (stopping) return;
  stopping = true;
  const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
  for (const c of alive) c.kill('SIGTERM');
  await Promise.all(alive.map((c) => new Promise((r) => c.once('exit', r))));
  process.exit(exitCode);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

async function waitReady(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

const seeding = run('scripts/seed.js', ['--scope', 'zhejiang', '--if-empty']);
const seedCode = await new Promise<number | null>((r) => seeding.once('exit', r));
if (seedCode !== 0) {
  console.error('loading demo data failed');
  await stop(1);
}
const ports: Record<string, number> = {
  places: 4001,
  culture: 4002,
  healthcare: 4003,
  commerce: 4004,
};
for (const name of SUBGRAPHS) run(`subgraphs/${name}/main.js`);
await Promise.all(
  SUBGRAPHS.map((name) => {
    const port = Number(process.env[`${name.toUpperCase()}_PORT`] ?? ports[name]);
    return waitReady(`http://127.0.0.1:${port}/healthz`, 60_000);
  }),
);
run('gateway/main.js');
