import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';

/** CPU pinning: the gateway gets core 1 alone, everything else shares core 0. */
export interface Pinning {
  enabled: boolean;
  gatewayCpus: string;
  otherCpus: string;
  reason: string;
}

export function detectPinning(wanted: boolean, cores: number): Pinning {
  const off = (reason: string): Pinning => ({
    enabled: false,
    gatewayCpus: '',
    otherCpus: '',
    reason,
  });
  if (!wanted) return off('disabled by --no-pin');
  if (cores < 2) return off(`only ${cores} core`);
  const probe = spawnSync('taskset', ['-c', '0', 'true']);
  if (probe.error || probe.status !== 0) return off('taskset not available');
  // Core 0 carries the load generator and the subgraphs; the rest go to the gateway.
  const gatewayCpus = cores === 2 ? '1' : `1-${cores - 1}`;
  return { enabled: true, gatewayCpus, otherCpus: '0', reason: 'taskset' };
}

/** Pins the running harness (the load generator) to the "other" cores. */
export function pinSelf(pinning: Pinning): void {
  if (!pinning.enabled) return;
  spawnSync('taskset', ['-a', '-p', '-c', pinning.otherCpus, String(process.pid)]);
}

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  logFile: string;
  exited: Promise<number | null>;
  stop: () => Promise<void>;
}

/**
 * Starts `node <args>` (pinned with taskset when asked; taskset execs node, so the pid is the
 * node process). Output goes to a log file so the console stays readable.
 */
export function startNode(opts: {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cpus?: string;
  logFile: string;
  cwd?: string;
}): Child {
  const [cmd, args] = opts.cpus
    ? ['taskset', ['-c', opts.cpus, process.execPath, ...opts.args]]
    : [process.execPath, opts.args];
  const proc = spawn(cmd, args, {
    env: opts.env,
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(opts.logFile);
  proc.stdout!.pipe(log);
  proc.stderr!.pipe(log);
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => resolve(code)),
  );
  return {
    name: opts.name,
    proc,
    pid: proc.pid!,
    logFile: opts.logFile,
    exited,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A port that was free a moment ago (the OS picks it). */
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

/** Polls until `check` resolves true, the child exits, or the timeout passes. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; child?: Child },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let exited = false;
  void opts.child?.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${what} exited before it was ready (log: ${opts.child!.logFile})`);
    try {
      if (await check()) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} not ready after ${opts.timeoutMs} ms`);
}

/** POSTs one GraphQL operation and returns the parsed body. */
export async function postGraphQL(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { data?: unknown; errors?: { message: string }[] } }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: { errors: [{ message: text.slice(0, 200) }] } };
  }
}
