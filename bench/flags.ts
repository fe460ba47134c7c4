import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DIRECT, GATEWAYS } from './gateways.js';
import { WORKLOADS } from './workloads.js';

/** A comma-separated list, trimmed, without empty entries. */
export const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The warning a run's results carry when the machine was busy at the start (none if quiet). */
export function busyWarning(): string[] {
  const busy = loadavg()[0];
  const cores = availableParallelism();
  return busy > 0.25 * cores
    ? [
        `load average ${busy.toFixed(1)} on ${cores} cores at the start: other processes were running, so these figures are indicative only.`,
      ]
    : [];
}

/** The run's `--rate`, as the results describe it. */
export function rateLabel(rate: number): string {
  return rate
    ? `${rate} requests/s per gateway and workload (--rate): compare CPU per request; req/s and latency are not those of a saturated run`
    : 'as fast as the gateway answers';
}

/** `npm run bench` flags (see bench/README.md), checked: unknown names and bad numbers throw. */
export function benchFlags(args: string[] = process.argv.slice(2)) {
  const { values: flags } = parseArgs({
    args,
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      prime: { type: 'string', default: '800' },
      connections: { type: 'string', default: '20' },
      rate: { type: 'string', default: '0' },
      workloads: { type: 'string', default: WORKLOADS.map((w) => w.name).join(',') },
      gateways: {
        type: 'string',
        default: `ours,ours-apollo,ours-cached,stock,hive,hive-rust,${DIRECT}`,
      },
      rounds: { type: 'string', default: '2' },
      'memory-soak': { type: 'string', default: '60' },
      'subgraph-sql-requests': { type: 'string', default: '300' },
      'soak-gateways': { type: 'string', default: 'ours' },
      'soak-workload': { type: 'string', default: 'mix' },
      profile: { type: 'boolean', default: false },
      'profile-workload': { type: 'string', default: 'profile' },
      'no-pin': { type: 'boolean', default: false },
      'no-sql': { type: 'boolean', default: false },
      'reuse-data': { type: 'boolean', default: false },
      scope: { type: 'string', default: 'zhejiang' },
      'data-dir': { type: 'string', default: 'bench/data' },
      out: { type: 'string', default: 'bench/results.md' },
      'auth-header': { type: 'string' },
      'gateway-env': { type: 'string', multiple: true, default: [] },
      label: { type: 'string', default: '' },
    },
  });

  const num = (name: keyof typeof flags) => {
    const n = Number(flags[name]);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0`);
    return n;
  };
  const durationSec = num('duration');
  const warmupSec = num('warmup');
  const primeOps = num('prime');
  const connections = num('connections');
  const rate = num('rate');
  const soakSec = num('memory-soak');
  const subgraphSqlRequests = Math.floor(num('subgraph-sql-requests'));
  const rounds = Math.max(1, Math.floor(num('rounds')));
  const workloads = list(flags.workloads!).map((n) => {
    const w = WORKLOADS.find((x) => x.name === n);
    if (!w)
      throw new Error(
        `unknown workload "${n}" (known: ${WORKLOADS.map((x) => x.name).join(', ')})`,
      );
    return w;
  });
  const gatewayNames = list(flags.gateways!);
  for (const g of gatewayNames)
    if (g !== DIRECT && !GATEWAYS.some((s) => s.name === g))
      throw new Error(
        `unknown gateway "${g}" (known: ${[...GATEWAYS.map((s) => s.name), DIRECT].join(', ')})`,
      );
  const extraEnv = Object.fromEntries(
    flags['gateway-env']!.map((kv) => {
      const at = kv.indexOf('=');
      if (at < 1) throw new Error(`--gateway-env expects KEY=VALUE, got "${kv}"`);
      return [kv.slice(0, at), kv.slice(at + 1)];
    }),
  );
  const perRun = warmupSec + durationSec + 1;
  const expectedSec =
    rounds *
      gatewayNames
        .filter((g) => g !== DIRECT)
        .map((g) => GATEWAYS.find((s) => s.name === g)!)
        .reduce(
          (sum, g) =>
            sum +
            workloads.filter((w) => !g.workloads || g.workloads.includes(w.name)).length * perRun +
            5,
          0,
        ) +
    (gatewayNames.includes(DIRECT) ? workloads.filter((w) => w.floor).length * perRun : 0) +
    soakSec * list(flags['soak-gateways']!).filter((g) => gatewayNames.includes(g)).length +
    (flags.profile ? perRun + 5 : 0) +
    (primeOps > 0 && workloads.some((w) => w.varies) ? Math.ceil(primeOps / 40) : 0) +
    (subgraphSqlRequests > 0 ? 60 : 0) +
    30;
  return {
    /** Seconds the run should take on a quiet machine (build and seeding aside). */
    expectedSec,
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
  };
}
