import { performance } from 'node:perf_hooks';
import { readSupergraph } from '../scripts/api-schema.js';
import { FallbackPlanner, PLAN_TIMEOUT_MS } from '../gateway/engine/fallback-planner.js';
import { asEnforcedSupergraph } from '../gateway/engine/supergraph.js';

/**
 * `npm run bench:fallback-start -- [--runs 5]`: how long the fallback planner's worker takes to
 * become ready (load @apollo/gateway's planner, build it over the committed supergraph), and the
 * process RSS it adds while it runs. Prints one line per run and the median; asserts nothing.
 */
const arg = process.argv.indexOf('--runs');
const runs = arg > 0 ? Number(process.argv[arg + 1]) : 5;
const sdl = asEnforcedSupergraph(readSupergraph());
const mb = (n: number) => (n / 2 ** 20).toFixed(0);
const settle = async () => {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((r) => setTimeout(r, 500));
  return process.memoryUsage().rss;
};
const times: number[] = [];
const added: number[] = [];
for (let i = 0; i < runs; i++) {
  const before = await settle();
  const planner = new FallbackPlanner(sdl, PLAN_TIMEOUT_MS);
  const start = performance.now();
  await planner.prepare();
  const ms = performance.now() - start;
  const after = await settle();
  await planner.close();
  times.push(ms);
  added.push(after - before);
  process.stdout.write(
    `run ${i + 1}: ready in ${ms.toFixed(0)} ms; RSS ${mb(before)} -> ${mb(after)} MB (+${mb(after - before)})\n`,
  );
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
process.stdout.write(
  `median: ready in ${median(times).toFixed(0)} ms, +${mb(median(added))} MB RSS while it runs\n`,
);
