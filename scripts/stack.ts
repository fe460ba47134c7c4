/**
 * Runs the whole stack on one machine (`npm start`): migrates and (on first run) seeds the
 * databases, starts the four subgraphs and the gateway as child processes, and supervises them.
 *
 *   node dist/scripts/stack.js [--scope zhejiang|<region code>]
 *
 * A process that exits unexpectedly is started again after a backoff (250 ms, doubling with each
 * consecutive crash up to 30 s; the count starts over once a process has run for a minute), with
 * a log line; meanwhile the gateway answers with partial data (SUBGRAPH_UNAVAILABLE where the
 * missing subgraph's fields are). Before a subgraph starts again, its demo data is loaded again
 * if its SQLite file is gone (deleted meanwhile: the subgraph would make an empty one). Only Ctrl-C or SIGTERM stops the whole
 * stack; a process that does not stop within 15 s of SIGTERM is killed.
 *
 * The supervisor's own Prometheus metrics — `stack_process_restarts_total{process}` and
 * `stack_process_up{process}` — are served at http://127.0.0.1:$STACK_METRICS_PORT/metrics
 * (default 4005; `off` turns it off): the gateway cannot count the restarts of processes it
 * only sees as URLs. Ports, database URLs and every other setting come from the environment as
 * for the processes themselves (PORT, PLACES_PORT…, PLACES_DATABASE_URL…); the gateway is
 * pointed at the subgraph ports used here unless PLACES_URL… are set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Counter, Gauge, Registry } from 'prom-client';
import { SUBGRAPH_NAMES, SUBGRAPH_PORTS, type SubgraphName } from '../contract/subgraphs.js';

const dist = dirname(dirname(fileURLToPath(import.meta.url)));
const SUBGRAPHS = SUBGRAPH_NAMES;
/** First restart delay; doubled with each consecutive crash, up to MAX_BACKOFF_MS. */
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 30_000;
/** A process that ran this long before exiting starts over from the first delay. */
const STABLE_AFTER_MS = 60_000;
/** How long a process may take to stop after SIGTERM before it is killed. */
const STOP_GRACE_MS = 15_000;

const { values } = parseArgs({ options: { scope: { type: 'string', default: 'zhejiang' } } });
const portOf = (name: SubgraphName) =>
  Number(process.env[`${name.toUpperCase()}_PORT`] || SUBGRAPH_PORTS[name]);
const env: NodeJS.ProcessEnv = {
  ...process.env,
  APOLLO_TELEMETRY_DISABLED: '1',
  METADATA_SERVER_DETECTION: 'none',
};
// The gateway reaches the subgraphs on the ports they were given here.
for (const name of SUBGRAPHS) {
  const key = `${name.toUpperCase()}_URL`;
  env[key] ||= `http://127.0.0.1:${portOf(name)}/graphql`;
}

const registry = new Registry();
const restarts = new Counter({
  name: 'stack_process_restarts_total',
  help: 'Processes of the stack started again after they exited unexpectedly.',
  labelNames: ['process'],
  registers: [registry],
});
const up = new Gauge({
  name: 'stack_process_up',
  help: 'Whether a process of the stack is running (1) or not (0).',
  labelNames: ['process'],
  registers: [registry],
});

/** One supervised process: started again whenever it exits, until the stack stops. */
class Supervised {
  child: ChildProcess | undefined;
  private crashes = 0;
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    private readonly script: string,
    /** Before each restart (not the first start): a subgraph's data loaded again if it is gone. */
    private readonly beforeRestart?: () => Promise<void>,
  ) {
    up.set({ process: name }, 0);
    restarts.inc({ process: name }, 0);
  }

  start(): void {
    this.timer = undefined;
    if (stopping) return;
    const child = spawn(process.execPath, [join(dist, this.script)], { env, stdio: 'inherit' });
    this.child = child;
    this.startedAt = Date.now();
    up.set({ process: this.name }, 1);
    console.error(`${this.name} started (pid ${child.pid})`);
    child.on('exit', (code, signal) => {
      up.set({ process: this.name }, 0);
      if (stopping) return;
      if (Date.now() - this.startedAt >= STABLE_AFTER_MS) this.crashes = 0;
      this.crashes += 1;
      const delay = Math.min(FIRST_BACKOFF_MS * 2 ** (this.crashes - 1), MAX_BACKOFF_MS);
      console.error(
        `${this.name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms ` +
          `(crash ${this.crashes} in a row); the rest of the stack keeps serving`,
      );
      restarts.inc({ process: this.name });
      this.timer = setTimeout(() => void this.restart(), delay);
    });
    child.on('error', (err) => console.error(`${this.name} could not be started: ${err.message}`));
  }

  private async restart(): Promise<void> {
    this.timer = undefined;
    if (this.beforeRestart && !stopping) {
      await this.beforeRestart().catch((err: Error) =>
        console.error(`${this.name}: preparing the restart failed: ${err.message}`),
      );
    }
    this.start();
  }

  /** SIGTERM (SIGKILL after STOP_GRACE_MS), and resolves once it has exited. */
  stop(): Promise<void> {
    clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

let stopping = false;
const supervised: Supervised[] = [];
const seeding = new Set<ChildProcess>();
let metricsServer: Server | undefined;

async function stop(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const child of seeding) child.kill('SIGTERM');
  await Promise.all(supervised.map((s) => s.stop()));
  metricsServer?.close();
  process.exit(exitCode);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

async function waitReady(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

const metricsPort = process.env.STACK_METRICS_PORT ?? '4005';
if (metricsPort !== 'off') {
  metricsServer = createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    void registry.metrics().then((text) => {
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(text);
    });
  });
  metricsServer.on('error', (err) => console.error(`stack metrics not served: ${err.message}`));
  metricsServer.listen(Number(metricsPort), '127.0.0.1');
}

/** Loads the demo data into the databases that hold none (`--only`: those subgraphs'). */
async function seedIfEmpty(only?: string): Promise<number | null> {
  const args = [join(dist, 'scripts/seed.js'), '--scope', values.scope!, '--if-empty'];
  const child = spawn(process.execPath, only ? [...args, '--only', only] : args, {
    env,
    stdio: 'inherit',
  });
  seeding.add(child);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  seeding.delete(child);
  return code;
}

const seedCode = await seedIfEmpty();
if (seedCode !== 0 && !stopping) {
  console.error('loading demo data failed');
  await stop(1);
}

for (const name of SUBGRAPHS) {
  // A subgraph that crashed may come back to a database file deleted or replaced meanwhile:
  // it would create an empty one and answer from it as if the region had no data.
  const s = new Supervised(name, `subgraphs/${name}/main.js`, async () => {
    const url = env[`${name.toUpperCase()}_DATABASE_URL`] || `sqlite:data/${name}.sqlite`;
    if (!url.startsWith('sqlite:') || existsSync(url.slice('sqlite:'.length))) return;
    const code = await seedIfEmpty(name);
    if (code !== 0) throw new Error(`loading its data exited with ${code}`);
  });
  supervised.push(s);
  s.start();
}
const ready = await Promise.all(
  SUBGRAPHS.map((name) => waitReady(`http://127.0.0.1:${portOf(name)}/healthz`, 60_000)),
);
SUBGRAPHS.forEach((name, i) => {
  if (!ready[i] && !stopping) {
    console.error(`${name} is not answering after 60 s; starting the gateway without it`);
  }
});
const gateway = new Supervised('gateway', 'gateway/main.js');
supervised.push(gateway);
gateway.start();
