import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from './processes.js';

/*
 * The gateway as its own process (`node dist/gateway/main.js`, as `npm start` runs it), for
 * tests that measure it from outside: its memory, its /healthz while it works, its answers.
 */

/** Resident and peak resident memory of a process, in MB (Linux /proc). */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

export interface Answer {
  status: number;
  ms: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

export async function send(
  to: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${to}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Answer['body'];
  try {
    parsed = JSON.parse(text) as Answer['body'];
  } catch {
    parsed = { errors: [{ message: text.slice(0, 200) }] };
  }
  return { status: res.status, ms: performance.now() - started, body: parsed };
}

/**
 * Polls /healthz every 20 ms from a process of its own (this one also runs the subgraphs, whose
 * work would delay the probe's own timers) until stopped; resolves with every latency in ms.
 */
export function probeHealth(base: string): {
  started: Promise<void>;
  stop: () => Promise<number[]>;
} {
  const script = `
    const latencies = [];
    let running = true;
    process.stdin.on('end', () => (running = false)).resume();
    (async () => {
      while (running) {
        const t = performance.now();
        const ok = await fetch(process.argv[1]).then((r) => r.arrayBuffer().then(() => r.ok), () => false);
        latencies.push(ok ? performance.now() - t : 1e9);
        if (latencies.length === 1) process.stdout.write('r');
        await new Promise((r) => setTimeout(r, 20));
      }
      process.stdout.write(JSON.stringify(latencies));
    })();`;
  const child = spawn(process.execPath, ['-e', script, `${base}/healthz`], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  let ready: () => void = () => {};
  const started = new Promise<void>((r) => (ready = r));
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    ready();
  });
  const done = new Promise((r) => child.once('exit', r));
  return {
    started,
    stop: async () => {
      child.stdin.end();
      await done;
      return JSON.parse(out.slice(1) || '[]') as number[];
    },
  };
}

/** The median, 99th percentile and slowest of /healthz latencies (ms), for the record and checks. */
export function healthzSummary(probes: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...probes].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
  return { p50: at(50), p99: at(99), max: sorted[sorted.length - 1] };
}

export interface GatewayProcess {
  base: string;
  pid: number;
  /** The process's stdout and stderr, last 20 kB. */
  output: () => string;
  exited: () => boolean;
  stop: () => Promise<void>;
}

/**
 * `node dist/gateway/main.js` (compiled beforehand) over the given subgraphs, closed to
 * strangers' conveniences (no introspection, no suggestions, no quotas), with `env` on top.
 * A process not answering /healthz within `readyWithinMs` is killed and the call throws.
 */
export async function startGatewayProcess(
  urls: { places: string; culture: string; healthcare: string; commerce: string },
  keysPath: string,
  subgraphTimeoutMs: number,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
  readyWithinMs = 60_000,
): Promise<GatewayProcess> {
  const { places, culture, healthcare, commerce } = urls;
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, 'dist/gateway/main.js'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      APOLLO_TELEMETRY_DISABLED: '1',
      METADATA_SERVER_DETECTION: 'none',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      LOG_SYNC: 'true',
      PLACES_URL: places,
      CULTURE_URL: culture,
      HEALTHCARE_URL: healthcare,
      COMMERCE_URL: commerce,
      KEYS_PATH: keysPath,
      SUPERGRAPH_WATCH: 'false',
      RESPONSE_CACHE: 'off',
      REDIS_URL: '',
      INTROSPECTION: 'false',
      FIELD_SUGGESTIONS: 'false',
      ANONYMOUS_RATE_LIMIT_PER_MINUTE: '0',
      ANONYMOUS_DAILY_QUOTA: '0',
      AUTH_FAILURES_PER_MINUTE: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      DAILY_QUOTA: '0',
      SUBGRAPH_TIMEOUT_MS: String(subgraphTimeoutMs),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const collect = (c: Buffer) => (out = (out + c.toString()).slice(-20_000));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    const ok = await fetch(`${base}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      // Not ready in time but running: the caller gets nothing to stop, so it is stopped here.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
      throw new Error(`the gateway did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    pid: child.pid!,
    output: () => out,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
