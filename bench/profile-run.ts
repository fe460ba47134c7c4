import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeProfile, type CpuProfile } from './cpuprofile.js';
import type { GatewaySpec } from './gateways.js';
import { warmUp } from './load.js';
import type { ProfileSummary } from './report.js';
import { describe, measure, startGateway, type SessionOptions } from './session.js';
import type { Workload } from './workloads.js';

/** Runs one workload against a gateway started under --cpu-prof and ranks its self time. */
export async function profileRun(
  o: SessionOptions,
  spec: GatewaySpec,
  workload: Workload,
): Promise<ProfileSummary> {
  const dir = join(o.runDir, 'cpuprofile');
  mkdirSync(dir, { recursive: true });
  const { child, url } = await startGateway(
    spec,
    o,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`],
    '-profile',
  );
  let window: { fromUs: number; toUs: number };
  try {
    await warmUp({
      url,
      connections: o.connections,
      durationSec: Math.max(1, o.warmupSec),
      workload,
      ctx: o.ctx,
    });
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const m = await measure({ ...o, warmupSec: 0 }, spec.name, child.pid, url, workload);
    window = { fromUs, toUs: Number(process.hrtime.bigint() / 1000n) };
    o.log(`  profiled run: ${describe(m)}`);
  } finally {
    await child.stop();
  }
  const file = readdirSync(dir).find(
    (f) => f.endsWith('.cpuprofile') && f.includes(`.${child.pid}.`),
  );
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  let summary = summarizeProfile(profile, window);
  // Both clocks are CLOCK_MONOTONIC on Linux; if they are not, rank the whole profile.
  if (summary.busyMs === 0) summary = summarizeProfile(profile);
  return { file: join(dir, file), ...summary };
}
