import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDist, freePort } from './support/processes.js';
import { dropDatabase, ensureDatabase } from '../subgraphs/shared/pg-admin.js';
import { TEST_POSTGRES_URL } from './support/databases.js';
import { postGraphQL } from './support/subgraph.js';

/**
 * Issue 15 item 7: under `npm start` (scripts/stack.ts, compiled) one dead subgraph must not stop
 * the stack. Each subgraph in turn is killed with SIGKILL: the gateway keeps answering with the
 * other subgraphs' data, the supervisor starts the subgraph again (a log line, a metric) and it
 * answers within 10 s; SIGTERM then stops everything. Free ports and a temporary data folder
 * (or PostgreSQL databases) keep it apart from a stack someone runs on 4000–4005.
 */
const SUBGRAPHS = ['places', 'culture', 'healthcare', 'commerce'] as const;
type Name = (typeof SUBGRAPHS)[number];
const HOUCANG = '331124001201';
const QUERY = `{
  village(code: "${HOUCANG}") {
    name
    culture { auditorium { name } }
    healthcare { __typename }
    commerce { storeCount }
  }
  auditorium(id: "aud-${HOUCANG}") { name }
}`;

const dataDir = mkdtempSync(join(tmpdir(), 'rdsg-stack-'));
const prefix = `t_stack_${randomBytes(3).toString('hex')}_`;
const ports = {} as Record<Name | 'gateway' | 'metrics', number>;
let stack: ChildProcess;
let output = '';
let supervisorLog = '';
let gatewayUrl: string;

/**
 * The pid the supervisor last reported for a process ("culture started (pid 123)"), read from
 * stderr alone: the processes log to stdout in writes of 4 KiB and more, so in one string merged
 * chunk by chunk the supervisor's line could follow half a log line (CI, 2026-12-07: the
 * restarted culture's pid was missed there, and the dead one's taken for it).
 */
function pidOf(name: string): number {
  const all = [...supervisorLog.matchAll(new RegExp(`\\b${name} started \\(pid (\\d+)\\)`, 'g'))];
  return Number(all.at(-1)?.[1]);
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await check()) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  return Infinity;
}

beforeAll(async () => {
  // The stack runs the compiled code, as `npm start` does. tsc emits even when some file does
  // not type-check (npm run typecheck is where that fails); this test needs the emitted code.
  await compileDist();
  for (const key of ['gateway', 'metrics', ...SUBGRAPHS] as const) ports[key] = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    PORT: String(ports.gateway),
    HOST: '127.0.0.1',
    STACK_METRICS_PORT: String(ports.metrics),
    KEYS_PATH: join(dataDir, 'api-keys.json'),
    SUPERGRAPH_WATCH: 'false',
    RESPONSE_CACHE: 'off',
    REDIS_URL: '',
  };
  for (const name of SUBGRAPHS) {
    const P = name.toUpperCase();
    env[`${P}_PORT`] = String(ports[name]);
    env[`${P}_URL`] = '';
    env[`${P}_DATABASE_URL`] = TEST_POSTGRES_URL
      ? await ensureDatabase(TEST_POSTGRES_URL, `${prefix}${name}`)
      : `sqlite:${join(dataDir, `${name}.sqlite`)}`;
  }
  stack = spawn(process.execPath, ['dist/scripts/stack.js', '--scope', '331124'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stack.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  stack.stderr!.on('data', (c: Buffer) => {
    output += c.toString();
    supervisorLog += c.toString();
  });
  gatewayUrl = `http://127.0.0.1:${ports.gateway}/graphql`;
  const ms = await until(() => answers(gatewayUrl.replace('/graphql', '/readyz')), 240_000);
  if (ms === Infinity) throw new Error(`the stack did not start:\n${output.slice(-3000)}`);
}, 300_000);

afterAll(async () => {
  if (stack && stack.exitCode === null) {
    stack.kill('SIGTERM');
    await new Promise((r) => stack.once('exit', r));
  }
  if (TEST_POSTGRES_URL) {
    for (const name of SUBGRAPHS) await dropDatabase(TEST_POSTGRES_URL, `${prefix}${name}`);
  }
  rmSync(dataDir, { recursive: true, force: true });
});

type Answer = {
  village: {
    name: string;
    culture: unknown;
    healthcare: unknown;
    commerce: unknown;
  } | null;
  auditorium: { name: string } | null;
};

describe('npm start supervises its processes', () => {
  it('answers in full with every process up', async () => {
    const res = await postGraphQL<Answer>(gatewayUrl, QUERY);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.village?.name).toBe('二村村委会');
  });

  it.each(SUBGRAPHS)(
    'keeps serving partial data while %s is dead, and starts it again within 10 s',
    async (name) => {
      const gatewayPid = pidOf('gateway');
      const pid = pidOf(name);
      expect(pid).toBeGreaterThan(0);
      process.kill(pid, 'SIGKILL');
      // Right away: the other subgraphs' data, SUBGRAPH_UNAVAILABLE where the dead one's is.
      const res = await postGraphQL<Answer>(gatewayUrl, QUERY);
      expect(res.status).toBe(200);
      const codes = new Set((res.body.errors ?? []).map((e) => e.extensions?.code));
      expect([...codes].every((c) => c === 'SUBGRAPH_UNAVAILABLE')).toBe(true);
      const data = res.body.data!;
      if (name === 'places') {
        // The village comes from places; the culture root field still answers.
        expect(data.auditorium?.name).toEqual(expect.any(String));
      } else {
        expect(data.village?.name).toBe('二村村委会');
        if (name !== 'culture') expect(data.auditorium?.name).toEqual(expect.any(String));
      }
      // The subgraph itself answers again within 10 s.
      const back = await until(() => answers(`http://127.0.0.1:${ports[name]}/readyz`), 10_000);
      console.error(`${name}: answering again ${back.toFixed(0)} ms after SIGKILL`);
      expect(back).toBeLessThan(10_000);
      expect(pidOf(name)).not.toBe(pid);
      expect(supervisorLog).toMatch(new RegExp(`\\b${name} exited \\(SIGKILL\\); restarting in`));
      // Through the gateway: in full again (a fetch or two may still meet the old connection).
      const full = await until(async () => {
        const r = await postGraphQL<Answer>(gatewayUrl, QUERY);
        return r.body.errors === undefined;
      }, 15_000);
      expect(full).toBeLessThan(15_000);
      // The gateway was never stopped or restarted.
      expect(pidOf('gateway')).toBe(gatewayPid);
      const metrics = await (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`)).text();
      expect(metrics).toMatch(
        new RegExp(`^stack_process_restarts_total\\{process="${name}"\\} 1$`, 'm'),
      );
      expect(metrics).toMatch(new RegExp(`^stack_process_up\\{process="${name}"\\} 1$`, 'm'));
    },
    60_000,
  );

  it.skipIf(TEST_POSTGRES_URL)(
    'loads a subgraph’s data again when it comes back to a deleted database file',
    async () => {
      for (const f of readdirSync(dataDir)) {
        if (f.startsWith('culture.sqlite')) rmSync(join(dataDir, f));
      }
      process.kill(pidOf('culture'), 'SIGKILL');
      // Not an empty culture answered as the truth: the auditorium is there again. Loading
      // culture again, then starting it, took 58.6 s of this test alone at load average 5 (the
      // data load itself 11-15 s): what is checked is the data, not the time: two minutes.
      const back = await until(async () => {
        const r = await postGraphQL<Answer>(gatewayUrl, QUERY);
        return r.body.errors === undefined;
      }, 120_000);
      expect(back).toBeLessThan(120_000);
      const res = await postGraphQL<Answer>(gatewayUrl, QUERY);
      const culture = res.body.data?.village?.culture as { auditorium: { name: string } | null };
      expect(culture.auditorium?.name).toEqual(expect.any(String));
    },
    150_000,
  );

  it('stops every process on SIGTERM, and only then', async () => {
    const pids = ['gateway', ...SUBGRAPHS].map(pidOf);
    for (const pid of pids) expect(() => process.kill(pid, 0)).not.toThrow();
    stack.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => stack.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    expect(supervisorLog).not.toMatch(/\bgateway exited \(/);
  });
});
