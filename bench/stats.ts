/** Pure helpers: percentiles, regression, tables. Unit-tested in stats.test.ts. */

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN when empty. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Least-squares slope and intercept of y over x. */
export function linearRegression(points: { x: number; y: number }[]): {
  slope: number;
  intercept: number;
} {
  const n = points.length;
  if (n < 2) return { slope: 0, intercept: points[0]?.y ?? 0 };
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  const slope = den === 0 ? 0 : num / den;
  return { slope, intercept: my - slope * mx };
}

/** `a / b` as "1.23×", or "–" when either side is missing. */
export function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0)
    return '–';
  return `${(a / b).toFixed(2)}×`;
}

export function fixed(n: number | undefined, digits = 0): string {
  return n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits);
}

/** A GitHub-flavoured Markdown table, padded so it also reads well on a console. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/** A small deterministic PRNG (mulberry32), so mixes are reproducible run to run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Which side ran out of CPU: with pinning, the gateway's core(s) or the shared core of the load
 * generator and subgraphs. A figure is about the gateway only when it says "gateway".
 */
export function boundBy(
  p: { enabled: boolean; gatewayCpus: string; otherCpus: string },
  gatewayCpu: number | undefined,
  otherCpu: number,
  totalCores: number,
): string {
  const gw = gatewayCpu ?? 0;
  const cores = (spec: string) =>
    spec.split(',').reduce((n, part) => {
      const [a, b] = part.split('-').map(Number);
      return n + (b === undefined ? 1 : b - a + 1);
    }, 0);
  if (!p.enabled) return gw + otherCpu >= 0.9 * totalCores ? 'machine' : '–';
  if (gw >= 0.9 * cores(p.gatewayCpus)) return 'gateway';
  if (otherCpu >= 0.9 * cores(p.otherCpus)) return 'subgraphs+load';
  return '–';
}
