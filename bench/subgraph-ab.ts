/**
 * Two builds of a subgraph side by side, in the same minutes: on a shared machine the load moves
 * more between two runs than a change of a few per cent does, so one run after the other
 * measures the load. Each build's subgraph runs in a process of its own (its own seeded SQLite
 * database); they answer the same `_entities` fetches as bench:subgraphs (subgraph-sql.ts), one
 * at a time, in alternating blocks (the order reversed every other round), and each server
 * process's CPU time is read from /proc/<pid>/stat around every block. The answers of the two
 * builds are compared byte for byte first: a difference stops the run.
 *
 *   node dist/bench/subgraph-ab.js --base /path/to/other/checkout [--subgraphs places,culture]
 *     [--pages 20] [--block 300] [--rounds 10] [--scope 331124]
 *
 * `--base` is another checkout, built, with node_modules beside its dist/ (a symlink will do).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createSubgraphHttpClient, type SubgraphHttpClient } from '../gateway/upstream/http.js';
import { entitiesQuery, FETCHES, villageSets } from './subgraph-sql.js';
import { fixed, markdownTable, percentile } from './stats.js';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** Boots one subgraph of the build at AB_ROOT on a fresh database and prints its URL. */
const SERVE = `
import { pathToFileURL } from 'node:url';
const at = (p) => pathToFileURL(process.env.AB_ROOT + p).href;
const { bootSubgraph } = await import(at('/dist/test/support/subgraph.js'));
const name = process.env.AB_SUBGRAPH;
const def = (await import(at('/dist/subgraphs/' + name + '/index.js')))[name + 'Subgraph'];
const booted = await bootSubgraph(def, { scopes: [process.env.AB_SCOPE] });
console.log(JSON.stringify({ url: booted.url }));
process.on('SIGTERM', () => booted.close().then(() => process.exit(0)));
`;

interface Side {
  label: string;
  proc: ChildProcess;
  http: SubgraphHttpClient;
  /** Per block: server CPU µs per fetch, median latency µs. */
  cpu: number[];
  latency: number[];
}

/** User + system CPU time of a process, in µs (all its threads). */
export function processCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name (which may hold spaces), from field 3 on.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
}

async function start(label: string, root: string, subgraph: string, scope: string): Promise<Side> {
  const proc = spawn(process.execPath, ['--input-type=module', '-e', SERVE], {
    env: { ...process.env, AB_ROOT: root, AB_SUBGRAPH: subgraph, AB_SCOPE: scope },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proc.stdout! });
  const url = await new Promise<string>((ok, fail) => {
    proc.once('exit', (code) => fail(new Error(`${label} ${subgraph} exited (${code})`)));
    lines.on('line', (line) => {
      if (line.startsWith('{"url"')) ok((JSON.parse(line) as { url: string }).url);
    });
  });
  return {
    label,
    proc,
    http: createSubgraphHttpClient(url, { maxSockets: 1 }),
    cpu: [],
    latency: [],
  };
}

async function stop(side: Side): Promise<void> {
  side.http.close();
  const exited = new Promise((ok) => side.proc.once('exit', ok));
  side.proc.kill('SIGTERM');
  await exited;
}

const headers = { 'content-type': 'application/json', accept: 'application/json' };

/** `count` fetches rotating through `bodies`; the answers of the first round of the bodies. */
async function block(side: Side, bodies: string[], count: number, record: boolean) {
  const answers: string[] = [];
  const times: number[] = [];
  const cpuBefore = processCpuUs(side.proc.pid!);
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const res = await side.http.post(bodies[i % bodies.length], headers, 10_000);
    times.push((performance.now() - t) * 1000);
    if (res.status !== 200)
      throw new Error(`${side.label}: ${res.status} ${res.body.slice(0, 300)}`);
    if (i < bodies.length) answers.push(res.body);
  }
  if (record) {
    side.cpu.push((processCpuUs(side.proc.pid!) - cpuBefore) / count);
    side.latency.push(percentile(times, 50));
  }
  return answers;
}

const median = (values: number[]) => percentile(values, 50);

export async function compareBuilds(opts: {
  base: string;
  head: string;
  subgraph: (typeof FETCHES)[number];
  sets: string[][];
  scope: string;
  blockSize: number;
  rounds: number;
}) {
  const query = entitiesQuery(opts.subgraph.fields);
  const bodies = opts.sets.map((codes) =>
    JSON.stringify({
      query,
      variables: { representations: codes.map((code) => ({ __typename: 'Village', code })) },
    }),
  );
  const name = opts.subgraph.subgraph;
  const [base, head] = await Promise.all([
    start('base', opts.base, name, opts.scope),
    start('head', opts.head, name, opts.scope),
  ]);
  try {
    const [a, b] = [
      await block(base, bodies, bodies.length, false),
      await block(head, bodies, bodies.length, false),
    ];
    a.forEach((answer, i) => {
      if (answer !== b[i]) throw new Error(`${name}: the builds answer set ${i} differently`);
    });
    for (let w = 0; w < 2; w++)
      for (const side of [base, head]) await block(side, bodies, opts.blockSize, false);
    for (let r = 0; r < opts.rounds; r++)
      for (const side of r % 2 ? [head, base] : [base, head])
        await block(side, bodies, opts.blockSize, true);
  } finally {
    await Promise.all([stop(base), stop(head)]);
  }
  const ratios = (x: number[], y: number[]) => x.map((v, i) => v / y[i]);
  return {
    fetch: `${name}, ${opts.sets[0].length} village${opts.sets[0].length === 1 ? '' : 's'}`,
    baseCpu: median(base.cpu),
    headCpu: median(head.cpu),
    cpuRatio: median(ratios(head.cpu, base.cpu)),
    latencyRatio: median(ratios(head.latency, base.latency)),
    baseLatency: median(base.latency),
    headLatency: median(head.latency),
  };
}

const invokedDirectly = process.argv[1]?.endsWith('subgraph-ab.js');
if (invokedDirectly) {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      head: { type: 'string', default: resolve(import.meta.dirname, '../..') },
      scope: { type: 'string', default: '331124' },
      subgraphs: { type: 'string', default: 'places,culture' },
      pages: { type: 'string', default: '20' },
      block: { type: 'string', default: '300' },
      rounds: { type: 'string', default: '10' },
    },
  });
  if (!values.base) throw new Error('--base <checkout> is required');
  const load = [loadavg()];
  const started = new Date().toISOString().slice(11, 16);
  const rows = [];
  for (const page of values.pages!.split(',').map(Number)) {
    const sets = await villageSets(values.scope!, page);
    for (const subgraph of FETCHES.filter((f) => values.subgraphs!.split(',').includes(f.subgraph)))
      rows.push(
        await compareBuilds({
          base: resolve(values.base),
          head: values.head!,
          subgraph,
          sets,
          scope: values.scope!,
          blockSize: Number(values.block),
          rounds: Number(values.rounds),
        }),
      );
  }
  load.push(loadavg());
  console.log(
    markdownTable(
      [
        'fetch',
        'CPU base (µs)',
        'CPU head (µs)',
        'CPU head ÷ base',
        'latency base / head (µs)',
        'latency head ÷ base',
      ],
      rows.map((r) => [
        r.fetch,
        fixed(r.baseCpu),
        fixed(r.headCpu),
        fixed(r.cpuRatio, 2),
        `${fixed(r.baseLatency)} / ${fixed(r.headLatency)}`,
        fixed(r.latencyRatio, 2),
      ]),
    ),
  );
  console.log(
    `\nServer CPU per fetch (medians of ${values.rounds} paired blocks of ${values.block}; ratios: ` +
      `medians of the per-block ratios), answers identical byte for byte. ${started}–` +
      `${new Date().toISOString().slice(11, 16)} UTC, load average ` +
      `${load.map((l) => l.map((x) => x.toFixed(2)).join(' ')).join(' at the start, ')} at the end.`,
  );
}
