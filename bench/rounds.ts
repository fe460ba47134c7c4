import type { LoadResult } from './load.js';
import type { Measurement } from './report.js';

/**
 * Gateways are measured one after another, and the subgraphs they share keep warming up (and the
 * machine's other work comes and goes) while they are: the first gateway of a run met colder
 * subgraphs than the last (bench/notes.md measured the order to be worth more than the
 * difference between gateways). A run therefore goes round the gateways `--rounds` times, in
 * reverse order every other round, and reports for each gateway and workload the mean of its
 * rounds: a linear drift cancels out over each pair of rounds.
 */
export function roundOrder(gateways: string[], round: number): string[] {
  return round % 2 === 0 ? gateways : [...gateways].reverse();
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const defined = <T>(xs: (T | undefined)[]): T[] => xs.filter((x): x is T => x !== undefined);

function combineLoads(loads: LoadResult[]): LoadResult {
  const sum = (f: (l: LoadResult) => number) => loads.reduce((a, l) => a + f(l), 0);
  return {
    requests: sum((l) => l.requests),
    durationSec: sum((l) => l.durationSec),
    rps: mean(loads.map((l) => l.rps)),
    p50: mean(loads.map((l) => l.p50)),
    p95: mean(loads.map((l) => l.p95)),
    p99: mean(loads.map((l) => l.p99)),
    non200: sum((l) => l.non200),
    errorBodies: sum((l) => l.errorBodies),
    transportErrors: sum((l) => l.transportErrors),
    firstError: loads.find((l) => l.firstError)?.firstError,
  };
}

/** One measurement per gateway and workload: the mean of its rounds (errors and mismatches kept). */
export function combineRounds(rounds: Measurement[][]): Measurement[] {
  const groups = new Map<string, Measurement[]>();
  for (const m of rounds.flat()) {
    const key = `${m.gateway}\u0000${m.workload}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  return [...groups.values()].map((ms) => {
    const failed = ms.find((m) => m.error);
    if (failed || ms.length === 1) return failed ?? ms[0];
    const cpu = (f: (m: Measurement) => number | undefined) => {
      const xs = defined(ms.map(f));
      return xs.length ? mean(xs) : undefined;
    };
    const loads = defined(ms.map((m) => m.load));
    const bound = ms.map((m) => m.boundBy ?? '–');
    return {
      gateway: ms[0].gateway,
      workload: ms[0].workload,
      load: loads.length ? combineLoads(loads) : undefined,
      peakRssMb: Math.max(...defined(ms.map((m) => m.peakRssMb)), 0) || undefined,
      gatewayCpu: cpu((m) => m.gatewayCpu),
      otherCpu: cpu((m) => m.otherCpu),
      processCpu: ms[0].processCpu
        ? Object.fromEntries(
            Object.keys(ms[0].processCpu).map((k) => [k, cpu((m) => m.processCpu?.[k]) ?? 0]),
          )
        : undefined,
      boundBy: bound.every((b) => b === bound[0]) ? bound[0] : bound.join('/'),
      mismatch: ms.find((m) => m.mismatch)?.mismatch,
    };
  });
}
