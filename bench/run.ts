/**
 * The performance benchmark: our gateway against stock @apollo/gateway and Hive Gateway, side
 * by side on one machine, over the same subgraphs and data. See bench/README.md.
 *
 *   npm run bench -- [--duration 10] [--connections 20] [--rate N] [--workloads profile,page]
 *                    [--gateways ours,stock,hive,hive-rust,direct] [--memory-soak 60] [--profile]
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { DIRECT, GATEWAYS, packageVersion } from './gateways.js';
import { runLoad, warmUp } from './load.js';
import { detectPinning, freePort, pinSelf } from './processes.js';
import type { Measurement, ProfileSummary, SoakResult } from './report.js';
import {
  machineInfo,
  processCpuTable,
  profileSection,
  soakSection,
  workloadTable,
} from './report.js';
import { subgraphCostsSection } from './subgraph-costs.js';
import { writeResults, sqlSection } from './results.js';
import { SupergraphInfo } from './selection.js';
import { fixed } from './stats.js';
import { profileRun } from './profile-run.js';
import {
  measure,
  runWorkloads,
  soak,
  startGateway,
  type SessionOptions,
  type SqlRow,
} from './session.js';
import { counterAvailable } from './sql.js';
import { seed, startStack } from './stack.js';
import { WORKLOADS, type WorkloadContext } from './workloads.js';
import { combineRounds, roundOrder } from './rounds.js';
import { benchFlags, busyWarning, list, rateLabel } from './flags.js';

const {
  flags,
  durationSec,
  warmupSec,
  primeOps,
  connections,
  rate,
  soakSec,
  subgraphSqlRequests,
  rounds,
  workloads,
  gatewayNames,
  extraEnv,
  expectedSec,
} = benchFlags();

const startedAt = new Date();
const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
const dataDir = resolve(flags['data-dir']!);
const runDir = join(dataDir, 'runs', stamp);
mkdirSync(runDir, { recursive: true });
const log = (line: string) => console.log(line);

const machine = machineInfo();
const pinning = detectPinning(!flags['no-pin'], availableParallelism());
log(`bench: ${machine.cores} cores, ${machine.cpu}, ${machine.memory}, Node ${machine.node}`);
log(
  `pinning: ${pinning.enabled ? `gateway on CPU ${pinning.gatewayCpus}, load generator and subgraphs on CPU ${pinning.otherCpus}` : `off (${pinning.reason})`}`,
);
log(`run folder: ${runDir}`);
const warnings = busyWarning();
for (const w of warnings) log(`WARNING: ${w}`);

log(`expected duration on a quiet machine: about ${Math.ceil(expectedSec / 60)} min`);
log(`seeding the ${flags.scope} data set…`);
const seeded = seed(join(dataDir, 'db'), flags.scope!, flags['reuse-data']!);
log(`  ${seeded}`);
// Pinned after seeding, which may use every core; children inherit the load generator's CPU.
pinSelf(pinning);
const stack = await startStack({ dbDir: join(dataDir, 'db'), runDir, pinning });
const stopAll: (() => Promise<void>)[] = [stack.stop];
const shutdown = async (code: number) => {
  for (const stop of stopAll.reverse()) await stop().catch(() => undefined);
  process.exit(code);
};
process.on('SIGINT', () => void shutdown(130));
process.on('SIGTERM', () => void shutdown(143));

try {
  const info = new SupergraphInfo(readFileSync(stack.supergraphPath, 'utf8'));
  const ctx: WorkloadContext = { info, data: stack.data, authHeader: flags['auth-header'] };
  log(
    `data: ${stack.data.villageCodes.length} village codes, ${stack.data.countyCodes.length} counties, ` +
      `${stack.data.cityCodes.length} cities; region rollups: ${info.regionRollupSelection() || 'none yet (village samples instead)'}`,
  );
  const sqlOn = !flags['no-sql'] && (await counterAvailable(stack.subgraphs));
  if (!flags['no-sql'] && !sqlOn)
    log('SQL counts: subgraphs do not serve /debug/sql-count; skipped');

  const o: SessionOptions = {
    stack,
    ctx,
    workloads,
    pinning,
    port: await freePort(),
    runDir,
    connections,
    rate: rate || undefined,
    durationSec,
    warmupSec,
    extraEnv,
    sql: sqlOn,
    log,
    reference: new Map(),
    specs: new Map(GATEWAYS.map((g) => [g.name, g])),
  };
  const measurements: Measurement[] = [];
  const sqlRows: SqlRow[] = [];
  const soaks: SoakResult[] = [];
  const problems: Record<string, string> = {};
  let profile: ProfileSummary | undefined;

  let primed = false;
  const perRound: Measurement[][] = [];
  for (let round = 0; round < rounds; round++) {
    const names = roundOrder(
      gatewayNames.filter((g) => g !== DIRECT),
      round,
    );
    if (rounds > 1) log(`\n-- round ${round + 1} of ${rounds}: ${names.join(' → ')}`);
    const got: Measurement[] = [];
    perRound.push(got);
    for (const name of names) {
      const spec = GATEWAYS.find((s) => s.name === name)!;
      log(`\n== ${spec.label}`);
      let started;
      try {
        started = await startGateway(spec, o);
      } catch (err) {
        problems[name] = `did not start: ${(err as Error).message}`;
        log(`  ${problems[name]}`);
        continue;
      }
      const { child, url, problem } = started;
      stopAll.push(child.stop);
      if (problem) {
        problems[name] = problem;
        log(`  WARNING: ${problem}`);
      }
      // Priming: the first gateway of the run would otherwise meet the subgraphs cold on the
      // varying workloads (caches, JIT, pages read for the first time) and every later gateway
      // would reuse what it warmed. The first `--prime` operations of each varying workload go
      // through it once, unmeasured, so every gateway meets the same warm subgraphs.
      const varying = workloads.filter(
        (w) => w.varies && (!spec.workloads || spec.workloads.includes(w.name)),
      );
      if (!primed && primeOps > 0 && varying.length) {
        primed = true;
        const t0 = Date.now();
        // mix-auth repeats the mix's operations with other headers: one pass is enough.
        const once = varying.filter((w) => w.name !== 'mix-auth' || varying.length === 1);
        for (const w of once)
          await runLoad({ url, connections, durationSec: 0, amount: primeOps, workload: w, ctx });
        log(
          `  primed the subgraphs: ${primeOps} operations of ${once.map((w) => w.name).join(', ')} in ${((Date.now() - t0) / 1000).toFixed(1)} s (unmeasured)`,
        );
      }
      // SQL counts, the memory soak and the profile: once, in the first round.
      const r = await runWorkloads(round === 0 ? o : { ...o, sql: false }, name, child.pid, url);
      got.push(...r.measurements);
      sqlRows.push(...r.sql);
      if (round === 0 && soakSec > 0 && list(flags['soak-gateways']!).includes(name)) {
        const w = WORKLOADS.find((x) => x.name === flags['soak-workload'])!;
        log(`  memory over ${soakSec} s of ${w.name}:`);
        soaks.push(await soak(o, name, child.pid, url, w, soakSec));
      }
      await child.stop();
      if (round === 0 && flags.profile && name === 'ours') {
        const w = WORKLOADS.find((x) => x.name === flags['profile-workload'])!;
        log(`  CPU profile of ${w.name}:`);
        profile = await profileRun(o, spec, w);
        log(profileSection(profile));
      }
    }
  }
  measurements.push(...combineRounds(perRound));

  if (gatewayNames.includes(DIRECT)) {
    log(`\n== subgraphs called directly (the floor)`);
    for (const w of workloads.filter((x) => x.floor)) {
      const sub = stack.subgraphs.find((s) => s.name === w.floor!.subgraph)!;
      const fixedOp = w.floor!.operation(ctx);
      if (warmupSec > 0)
        await warmUp({
          url: sub.url,
          connections,
          durationSec: warmupSec,
          workload: w,
          ctx,
          fixed: fixedOp,
        });
      const m = await measure(
        { ...o, warmupSec: 0 },
        `direct (${sub.name})`,
        sub.child.pid,
        sub.url,
        w,
        fixedOp,
      );
      log(
        `  ${w.name} → ${sub.name}: ${fixed(m.load!.rps)} req/s, p99 ${fixed(m.load!.p99, 1)} ms`,
      );
      measurements.push(m);
    }
  }

  const sections = workloads.map((w) => {
    const rows = measurements.filter((m) => m.workload === w.name);
    return `${workloadTable(w.name, rows, rate || undefined)}\n${processCpuTable(w.name, rows)}`;
  });
  log(`\n${sections.join('\n')}`);
  if (sqlRows.length)
    log(
      sqlSection(
        sqlRows,
        stack.subgraphs.map((s) => s.name),
      ),
    );
  for (const s of soaks) log(soakSection(s));
  let subgraphCosts: string | undefined;
  if (subgraphSqlRequests > 0) {
    // Alone on the machine: the stack's subgraphs are stopped first.
    await stack.stop();
    log('\nsubgraphs against their SQL (bench/subgraph-sql.ts)…');
    subgraphCosts = await subgraphCostsSection(subgraphSqlRequests);
    log(subgraphCosts);
  }

  const versions = Object.fromEntries(
    [
      '@apollo/gateway',
      '@apollo/server',
      '@graphql-hive/gateway',
      '@graphql-hive/router-runtime',
      'graphql',
      'autocannon',
    ].map((p) => [p, packageVersion(p)]),
  );
  const out = writeResults({
    file: flags.out!,
    runDir,
    startedAt,
    label: flags.label!,
    warnings,
    machine: {
      ...machine,
      'load average at end': loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
    },
    versions,
    options: {
      duration: `${durationSec} s after ${warmupSec} s warm-up`,
      rounds:
        rounds > 1
          ? `${rounds}: the gateways in turn, the order reversed every other round; each figure is the mean of its rounds (bench/rounds.ts)`
          : '1',
      connections: String(connections),
      rate: rateLabel(rate),
      pinning: pinning.enabled
        ? `gateway CPU ${pinning.gatewayCpus}; rest CPU ${pinning.otherCpus}`
        : `off (${pinning.reason})`,
      data: `${flags.scope}: ${seeded}`,
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    },
    gateways: GATEWAYS.filter((g) => gatewayNames.includes(g.name)).map((g) => ({
      name: g.name,
      label: g.label,
      problem: problems[g.name],
    })),
    workloads,
    ctx,
    measurements,
    sections,
    sqlRows,
    subgraphNames: stack.subgraphs.map((s) => s.name),
    soaks,
    profile,
    subgraphCosts,
  });
  log(`\nwrote ${out.join(' and ')}`);
  await shutdown(0);
} catch (err) {
  console.error(err);
  await shutdown(1);
}
