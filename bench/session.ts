import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { GatewaySpec } from './gateways.js';
import { runLoad, errorCount, warmUp, type LoadResult } from './load.js';
import { readCpuSeconds, readMemory, RssSampler } from './monitor.js';
import { postGraphQL, startNode, waitFor, type Child, type Pinning } from './processes.js';
import { cpuMsPerRequest, type Measurement, type SoakResult } from './report.js';
import { probe, type ProbeResult } from './sql.js';
import type { BenchStack } from './stack.js';
import { boundBy, fixed, linearRegression } from './stats.js';
import type { Operation, Workload, WorkloadContext } from './workloads.js';

export interface SessionOptions {
  stack: BenchStack;
  ctx: WorkloadContext;
  workloads: Workload[];
  pinning: Pinning;
  port: number;
  runDir: string;
  connections: number;
  /** Fixed request rate of the measured runs (`--rate`); unset: as fast as they go. */
  rate?: number;
  durationSec: number;
  warmupSec: number;
  extraEnv: Record<string, string>;
  sql: boolean;
  log: (line: string) => void;
  /** The gateways of the run, by name (their workload filters). */
  specs?: Map<string, GatewaySpec>;
  /** Per workload: the first gateway's answer to the first operation, to compare the rest to. */
  reference: Map<string, { gateway: string; json: string }>;
}

export interface SqlRow {
  gateway: string;
  workload: string;
  probe: ProbeResult | { error: string };
  pageSizes?: { size: number; total: number | undefined }[];
}

/** A clean environment, so nothing from the shell changes a gateway's configuration. */
function baseEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG'];
  return Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [k, process.env[k]!]));
}

export async function startGateway(
  spec: GatewaySpec,
  o: SessionOptions,
  nodeArgs: string[] = [],
  tag = '',
): Promise<{ child: Child; url: string; problem?: string }> {
  const gctx = {
    port: o.port,
    supergraphPath: o.stack.supergraphPath,
    subgraphUrls: Object.fromEntries(o.stack.subgraphs.map((s) => [s.name, s.url])),
    extraEnv: o.extraEnv,
  };
  const child = startNode({
    name: spec.name,
    args: [...nodeArgs, ...spec.args(gctx)],
    env: { ...baseEnv(), ...spec.env(gctx) },
    cpus: o.pinning.enabled ? o.pinning.gatewayCpus : undefined,
    logFile: join(o.runDir, `gateway-${spec.name}${tag}.log`),
  });
  const url = `http://127.0.0.1:${o.port}/graphql`;
  try {
    await waitFor(
      spec.name,
      async () => (await postGraphQL(url, '{ __typename }')).status === 200,
      { timeoutMs: 90_000, child },
    );
  } catch (err) {
    await child.stop();
    throw err;
  }
  await new Promise((r) => setTimeout(r, 300)); // let startup logs reach the file
  const problem = spec.logProblem?.(readFileSync(child.logFile, 'utf8'));
  return { child, url, problem };
}

/** JSON with object keys sorted, so answers compare regardless of key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Sends a workload's first operation once. Returns why it fails, if it does, and whether its
 * answer differs from the reference gateway's: a fast wrong answer must not count as fast.
 */
async function validate(
  o: SessionOptions,
  gateway: string,
  url: string,
  workload: string,
  op: Operation,
): Promise<{ error?: string; mismatch?: string }> {
  const res = await postGraphQL(url, op.query, op.variables, op.headers);
  writeFileSync(
    join(o.runDir, `answer-${workload}-${gateway}.json`),
    JSON.stringify(res.body, null, 1),
  );
  if (res.status !== 200 || res.body.errors)
    return { error: `HTTP ${res.status} ${JSON.stringify(res.body.errors ?? '').slice(0, 300)}` };
  const json = canonicalJson(res.body);
  const ref = o.reference.get(workload);
  if (!ref) o.reference.set(workload, { gateway, json });
  else if (ref.json !== json) return { mismatch: `answer differs from ${ref.gateway}'s` };
  return {};
}

/** One measured load run with the gateway's RSS and everyone's CPU sampled. */
export async function measure(
  o: SessionOptions,
  gateway: string,
  pid: number | undefined,
  url: string,
  workload: Workload,
  fixed?: Operation,
): Promise<Measurement> {
  if (o.warmupSec > 0)
    await warmUp({
      url,
      connections: o.connections,
      durationSec: o.warmupSec,
      workload,
      ctx: o.ctx,
      fixed,
      rate: o.rate,
    });
  // CPU seconds so far of each subgraph and of the load generator (this process).
  const readings = (): Record<string, number> => {
    const own = process.cpuUsage();
    return {
      ...Object.fromEntries(
        o.stack.subgraphs.map((s) => [s.name, readCpuSeconds(s.child.pid) ?? 0]),
      ),
      load: own.user / 1e6 + own.system / 1e6,
    };
  };
  const sampler = pid ? new RssSampler(pid, 500) : undefined;
  const gw0 = pid ? readCpuSeconds(pid) : undefined;
  const each0 = readings();
  const t0 = Date.now();
  const load = await runLoad({
    url,
    connections: o.connections,
    durationSec: o.durationSec,
    workload,
    ctx: o.ctx,
    fixed,
    rate: o.rate,
  });
  const secs = (Date.now() - t0) / 1000;
  const each1 = readings();
  const gw1 = pid ? readCpuSeconds(pid) : undefined;
  const gatewayCpu = gw0 !== undefined && gw1 !== undefined ? (gw1 - gw0) / secs : undefined;
  const processCpu = Object.fromEntries(
    Object.keys(each0).map((k) => [k, (each1[k] - each0[k]) / secs]),
  );
  const otherCpu = Object.values(processCpu).reduce((a, b) => a + b, 0);
  return {
    gateway,
    workload: workload.name,
    load,
    peakRssMb: sampler?.stop(),
    gatewayCpu,
    otherCpu,
    processCpu,
    boundBy: boundBy(o.pinning, gatewayCpu, otherCpu, availableParallelism()),
  };
}

export function describe(m: Measurement): string {
  const l = m.load!;
  const cpu = (c: number | undefined) => (c === undefined ? '–' : `${(c * 100).toFixed(0)}%`);
  return (
    `${fixed(l.rps)} req/s, p50 ${fixed(l.p50, 1)} p95 ${fixed(l.p95, 1)} p99 ${fixed(l.p99, 1)} ms, ` +
    `errors ${errorCount(l)}, RSS ${fixed(m.peakRssMb)} MB, CPU gw ${cpu(m.gatewayCpu)} ` +
    `(${fixed(cpuMsPerRequest(m), 2)} ms/req) ` +
    `rest ${cpu(m.otherCpu)}, bound by ${m.boundBy}`
  );
}

/** Probes SQL counts, then measures every workload, against one running gateway. */
export async function runWorkloads(
  o: SessionOptions,
  gateway: string,
  pid: number,
  url: string,
): Promise<{ measurements: Measurement[]; sql: SqlRow[] }> {
  const measurements: Measurement[] = [];
  const sql: SqlRow[] = [];
  const endpoints = o.stack.subgraphs.map(({ name, origin }) => ({ name, origin }));
  const spec = o.specs?.get(gateway);
  for (const w of o.workloads.filter((x) => !spec?.workloads || spec.workloads.includes(x.name))) {
    const check = await validate(o, gateway, url, w.name, w.operation(o.ctx, 0));
    if (check.error) {
      o.log(`  ${w.name}: skipped, the operation fails: ${check.error}`);
      measurements.push({ gateway, workload: w.name, error: check.error });
      continue;
    }
    if (check.mismatch) o.log(`  ${w.name}: WARNING: ${check.mismatch} (see ${o.runDir})`);
    if (o.sql && w.sqlProbe) {
      const row: SqlRow = {
        gateway,
        workload: w.name,
        probe: await probe(url, w.sqlProbe(o.ctx), endpoints),
      };
      if (w.pageSizeProbe) {
        row.pageSizes = [];
        for (const size of w.pageSizeProbe.sizes) {
          const r = await probe(url, w.pageSizeProbe.operation(o.ctx, size), endpoints, 1);
          const total =
            'error' in r ? undefined : [...r.values()].reduce((s, c) => s + c.statements[1], 0);
          row.pageSizes.push({ size, total });
        }
      }
      sql.push(row);
    }
    const m = await measure(o, gateway, pid, url, w);
    m.mismatch = check.mismatch;
    o.log(`  ${w.name}: ${describe(m)}`);
    measurements.push(m);
  }
  return { measurements, sql };
}

/**
 * Runs a workload for `seconds`, sampling the gateway's RSS every second (printed every 5 s).
 * The slope is fitted to the lowest sample of each 10-second window: RSS rises and falls with
 * garbage collection, and a leak shows as a rising floor, not as a high point between two
 * collections. The slope over every sample is kept too.
 */
export async function soak(
  o: SessionOptions,
  gateway: string,
  pid: number,
  url: string,
  workload: Workload,
  seconds: number,
): Promise<SoakResult> {
  const samples: SoakResult['samples'] = [];
  const all: SoakResult['samples'] = [];
  const t0 = Date.now();
  const take = (print: boolean) => {
    const m = readMemory(pid);
    if (!m) return;
    const sample = { atSec: (Date.now() - t0) / 1000, rssMb: m.rssMb };
    all.push(sample);
    if (!print) return;
    samples.push(sample);
    o.log(`  ${sample.atSec.toFixed(0).padStart(4)} s  RSS ${sample.rssMb.toFixed(1)} MB`);
  };
  take(true);
  let tick = 0;
  const timer = setInterval(() => take(++tick % 5 === 0), 1_000);
  let load: LoadResult | undefined;
  try {
    load = await runLoad({
      url,
      connections: o.connections,
      durationSec: seconds,
      workload,
      ctx: o.ctx,
    });
  } finally {
    clearInterval(timer);
  }
  // A last sample at the end, unless the interval just took one.
  if ((Date.now() - t0) / 1000 - (samples.at(-1)?.atSec ?? 0) > 1) take(true);
  const floors = new Map<number, { x: number; y: number }>();
  for (const s of all) {
    const w = Math.floor(s.atSec / 10);
    const known = floors.get(w);
    if (!known || s.rssMb < known.y) floors.set(w, { x: s.atSec / 60, y: s.rssMb });
  }
  const { slope } = linearRegression([...floors.values()]);
  const raw = linearRegression(all.map((s) => ({ x: s.atSec / 60, y: s.rssMb }))).slope;
  return {
    gateway,
    workload: workload.name,
    samples,
    slopeMbPerMin: slope,
    rawSlopeMbPerMin: raw,
    load,
  };
}
