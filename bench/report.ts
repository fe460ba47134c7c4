import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import type { SelfTime } from './cpuprofile.js';
import { errorCount, type LoadResult } from './load.js';
import { fixed, markdownTable, ratio } from './stats.js';

export interface Measurement {
  gateway: string;
  workload: string;
  load?: LoadResult;
  peakRssMb?: number;
  /** CPU used during the measured window, in cores (1.0 = one core busy). */
  gatewayCpu?: number;
  otherCpu?: number;
  /**
   * CPU of each other process during the measured window, in cores: every subgraph by name and
   * `load` (the load generator, this process).
   */
  processCpu?: Record<string, number>;
  /** Which side ran out of CPU ("gateway", "subgraphs+load", "machine" or "–"). */
  boundBy?: string;
  error?: string;
  /** Set when the gateway's answer differs from the reference gateway's. */
  mismatch?: string;
}

export interface SoakResult {
  gateway: string;
  workload: string;
  samples: { atSec: number; rssMb: number }[];
  /** Fitted to the lowest RSS of each 10-second window (the floor after collections). */
  slopeMbPerMin: number;
  /** Fitted to every sample. */
  rawSlopeMbPerMin?: number;
  load?: LoadResult;
}

export interface ProfileSummary {
  file: string;
  busyMs: number;
  idleMs: number;
  functions: SelfTime[];
  packages: SelfTime[];
}

export function machineInfo(): Record<string, string> {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
  } catch {
    // not a git checkout
  }
  return {
    cores: String(availableParallelism()),
    cpu: model,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    'load average at start': loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    commit,
  };
}

/** Milliseconds of gateway CPU per answered request. */
export function cpuMsPerRequest(m: Measurement): number | undefined {
  if (m.gatewayCpu === undefined || !m.load || m.load.rps <= 0) return undefined;
  return (m.gatewayCpu * 1000) / m.load.rps;
}

/**
 * Milliseconds of CPU per answered request of every process (the gateway, each subgraph, the
 * load generator), one row per gateway: where a request's CPU goes, whatever bounds the run.
 */
export function processCpuTable(workload: string, rows: Measurement[]): string {
  const names = [...new Set(rows.flatMap((m) => Object.keys(m.processCpu ?? {})))];
  const perRequest = (cores: number | undefined, m: Measurement) =>
    cores === undefined || !m.load || m.load.rps <= 0 ? '–' : fixed((cores * 1000) / m.load.rps, 2);
  const body = rows
    .filter((m) => m.load)
    .map((m) => {
      const subgraphs = names
        .filter((n) => n !== 'load')
        .reduce((sum, n) => sum + (m.processCpu?.[n] ?? 0), 0);
      return [
        m.gateway,
        perRequest(m.gatewayCpu, m),
        ...names.map((n) => perRequest(m.processCpu?.[n], m)),
        perRequest(m.processCpu ? subgraphs : undefined, m),
      ];
    });
  return [
    `CPU ms per request by process (${workload}):`,
    '',
    markdownTable(['gateway', 'gateway', ...names, 'all subgraphs'], body),
    '',
  ].join('\n');
}

/** One table per workload: a row per gateway, then the ratios the goal is about. */
export function workloadTable(workload: string, rows: Measurement[], fixedRate?: number): string {
  const body = rows.map((m) => {
    const l = m.load;
    if (!l) return [m.gateway, `failed: ${m.error ?? '?'}`, '', '', '', '', '', '', '', '', ''];
    return [
      m.gateway,
      fixed(l.rps, 0),
      fixed(l.p50, 1),
      fixed(l.p95, 1),
      fixed(l.p99, 1),
      [errorCount(l) ? `${errorCount(l)} of ${l.requests}` : '0', m.mismatch ? 'WRONG ANSWER' : '']
        .filter(Boolean)
        .join(', '),
      fixed(m.peakRssMb, 0),
      m.gatewayCpu === undefined ? '–' : `${(m.gatewayCpu * 100).toFixed(0)}%`,
      fixed(cpuMsPerRequest(m), 2),
      m.otherCpu === undefined ? '–' : `${(m.otherCpu * 100).toFixed(0)}%`,
      m.boundBy ?? '–',
    ];
  });
  const table = markdownTable(
    [
      'gateway',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'errors',
      'peak RSS MB',
      'gw CPU',
      'gw CPU ms/req',
      'rest CPU',
      'bound by',
    ],
    body,
  );
  const lines = [`### ${workload}`, '', table, ''];
  const ours = rows.find((m) => m.gateway === 'ours')?.load;
  const stock = rows.find((m) => m.gateway === 'stock')?.load;
  // A configuration that answers wrongly or with errors is not a contender.
  const hives = rows.filter(
    (m) => m.gateway.startsWith('hive') && m.load && !m.mismatch && errorCount(m.load) === 0,
  );
  const bestHive = hives.sort((a, b) => b.load!.rps - a.load!.rps)[0];
  if (ours) {
    const parts = [`ours/stock ${ratio(ours.rps, stock?.rps)}`];
    if (bestHive)
      parts.push(`ours/best Hive (${bestHive.gateway}) ${ratio(ours.rps, bestHive.load!.rps)}`);
    for (const h of hives.filter((h) => h !== bestHive))
      parts.push(`ours/${h.gateway} ${ratio(ours.rps, h.load!.rps)}`);
    const p99 = [`p99 ours ${fixed(ours.p99, 1)} ms`];
    if (stock) p99.push(`stock ${fixed(stock.p99, 1)}`);
    if (bestHive) p99.push(`${bestHive.gateway} ${fixed(bestHive.load!.p99, 1)}`);
    lines.push(`Ratios (req/s): ${parts.join(', ')}. ${p99.join(', ')}.`);
    const cached = rows.find((m) => m.gateway === 'ours-cached')?.load;
    if (cached)
      lines.push(
        `With the response cache (not the headline): ours-cached/ours ${ratio(cached.rps, ours.rps)}` +
          `${stock ? `, ours-cached/stock ${ratio(cached.rps, stock.rps)}` : ''}` +
          `${bestHive ? `, ours-cached/best Hive ${ratio(cached.rps, bestHive.load!.rps)}` : ''}; p99 ${fixed(cached.p99, 1)} ms.`,
      );
    // CPU time per request barely depends on what else the machine runs: a steadier measure.
    const cpu = rows
      .filter((m) => m.gateway !== 'ours' && cpuMsPerRequest(m) !== undefined && !m.mismatch)
      .map(
        (m) =>
          `${m.gateway} ${ratio(cpuMsPerRequest(m)!, cpuMsPerRequest(rows.find((r) => r.gateway === 'ours')!))}`,
      );
    if (cpu.length)
      lines.push(
        `Gateway CPU per request, theirs/ours (higher = ours cheaper): ${cpu.join(', ')}.`,
      );
    const goal = [
      stock ? ours.rps >= 3 * stock.rps : undefined,
      bestHive ? ours.rps >= bestHive.load!.rps : undefined,
      stock ? ours.p99 <= stock.p99 : undefined,
      bestHive ? ours.p99 <= bestHive.load!.p99 : undefined,
      errorCount(ours) === 0,
    ];
    if (fixedRate)
      lines.push(
        `Fixed rate of ${fixedRate} requests/s: the goal is judged on a run without --rate.`,
      );
    else if (!goal.includes(undefined))
      lines.push(
        `Goal (≥ 3× stock, ≥ best Hive, p99 no worse, no errors): ${goal.every(Boolean) ? 'met' : 'NOT met'}.`,
      );
    lines.push('');
  }
  const failing = rows.filter((m) => m.load?.firstError || m.mismatch);
  for (const m of failing) {
    if (m.mismatch)
      lines.push(`- ${m.gateway}: ${m.mismatch} (answer-${workload}-*.json in the run folder)`);
    if (m.load?.firstError) lines.push(`- ${m.gateway}: first error: \`${m.load.firstError}\``);
  }
  if (failing.length) lines.push('');
  return lines.join('\n');
}

export function soakSection(soak: SoakResult): string {
  const rows = soak.samples.map((s) => [`${s.atSec.toFixed(0)} s`, s.rssMb.toFixed(1)]);
  const verdict =
    Math.abs(soak.slopeMbPerMin) < 1 ? 'flat' : soak.slopeMbPerMin > 0 ? 'growing' : 'shrinking';
  return [
    `### ${soak.gateway}: RSS under the ${soak.workload} workload`,
    '',
    markdownTable(['time', 'RSS MB'], rows),
    '',
    `Slope (least squares over the lowest RSS of each 10 s): ${soak.slopeMbPerMin.toFixed(2)} MB/min (${verdict})` +
      `${soak.rawSlopeMbPerMin !== undefined ? `; over every sample ${soak.rawSlopeMbPerMin.toFixed(2)} MB/min` : ''}; ` +
      `${soak.load ? `${fixed(soak.load.rps, 0)} req/s, ${errorCount(soak.load)} errors` : ''}.`,
    '',
  ].join('\n');
}

export function profileSection(p: ProfileSummary, top = 15): string {
  const fnRows = p.functions
    .slice(0, top)
    .map((f, i) => [String(i + 1), f.name, f.ms.toFixed(0), `${(f.share * 100).toFixed(1)}%`]);
  const pkgRows = p.packages
    .slice(0, 10)
    .map((f) => [f.name, f.ms.toFixed(0), `${(f.share * 100).toFixed(1)}%`]);
  return [
    `Profile: ${p.file} — busy ${(p.busyMs / 1000).toFixed(1)} s, idle ${(p.idleMs / 1000).toFixed(1)} s.`,
    '',
    `Top ${top} functions by self time (share of busy time):`,
    '',
    markdownTable(['#', 'function', 'self ms', 'share'], fnRows),
    '',
    'By package:',
    '',
    markdownTable(['package', 'self ms', 'share'], pkgRows),
    '',
  ].join('\n');
}
