import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { apiSchemaOf } from '../../scripts/api-schema.js';
import { packageOf, summarizeProfile, type CpuProfile } from '../cpuprofile.js';
import { benchFlags, rateLabel } from '../flags.js';
import { workloadTable, type Measurement } from '../report.js';
import { SupergraphInfo } from '../selection.js';
import { benchSupergraph } from '../stack.js';
import { boundBy, linearRegression, percentile, ratio } from '../stats.js';
import { WORKLOADS, datasetFrom } from '../workloads.js';

describe('benchmark arithmetic', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 99)]).toEqual([
      50, 95, 99,
    ]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('fits a least-squares slope', () => {
    const points = [0, 1, 2, 3].map((x) => ({ x, y: 10 + 2 * x }));
    expect(linearRegression(points)).toEqual({ slope: 2, intercept: 10 });
    expect(linearRegression([{ x: 1, y: 5 }])).toEqual({ slope: 0, intercept: 5 });
  });

  it('formats ratios and refuses missing sides', () => {
    expect(ratio(300, 100)).toBe('3.00×');
    expect(ratio(300, undefined)).toBe('–');
    expect(ratio(300, 0)).toBe('–');
  });

  it('says which side ran out of CPU', () => {
    const pinned = { enabled: true, gatewayCpus: '1', otherCpus: '0' };
    expect(boundBy(pinned, 0.97, 0.5, 2)).toBe('gateway');
    expect(boundBy(pinned, 0.4, 0.95, 2)).toBe('subgraphs+load');
    expect(boundBy(pinned, 0.4, 0.5, 2)).toBe('–');
    expect(boundBy({ ...pinned, gatewayCpus: '1-3' }, 0.97, 0.5, 4)).toBe('–');
    expect(boundBy({ enabled: false, gatewayCpus: '', otherCpus: '' }, 1, 0.9, 2)).toBe('machine');
  });
});

describe('CPU profile summary', () => {
  // Root → a (our code) → b (a package); samples every 1 ms: a, b, b, idle, b.
  const profile: CpuProfile = {
    startTime: 1_000,
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
      {
        id: 2,
        callFrame: {
          functionName: 'handle',
          url: 'file:///x/dist/gateway/gateway.js',
          lineNumber: 9,
        },
      },
      {
        id: 3,
        callFrame: {
          functionName: 'plan',
          url: 'file:///x/node_modules/@apollo/gateway/dist/p.js',
          lineNumber: 0,
        },
      },
      { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
    ],
    samples: [2, 3, 3, 4, 3],
    timeDeltas: [0, 1000, 1000, 1000, 1000],
  };

  it('ranks functions and packages by self time, leaving idle out of the shares', () => {
    const s = summarizeProfile(profile);
    expect(s.idleMs).toBe(1);
    expect(s.busyMs).toBe(3); // the last sample has no successor, so no duration
    expect(s.functions).toEqual([
      { name: 'plan @apollo/gateway/dist/p.js:1', ms: 2, share: 2 / 3 },
      { name: 'handle dist/gateway/gateway.js:10', ms: 1, share: 1 / 3 },
    ]);
    expect(s.packages.map((p) => p.name)).toEqual(['@apollo/gateway', 'project gateway/']);
  });

  it('keeps only the samples of a time window', () => {
    const s = summarizeProfile(profile, { fromUs: 2_500, toUs: 3_500 });
    expect(s.functions).toEqual([{ name: 'plan @apollo/gateway/dist/p.js:1', ms: 1, share: 1 }]);
  });

  it('names where a frame comes from', () => {
    expect(packageOf('file:///a/node_modules/graphql/execution/execute.js', 'f')).toBe('graphql');
    expect(packageOf('node:internal/streams/readable', 'f')).toBe('node (internals)');
    expect(packageOf('', '(garbage collector)')).toBe('(garbage collector)');
  });
});

describe('workloads against the supergraph', () => {
  const sdl = readFileSync('schema/supergraph.graphql', 'utf8');

  it('points every subgraph at the benchmark ports', () => {
    const out = benchSupergraph({
      places: 'http://127.0.0.1:1/graphql',
      culture: 'http://127.0.0.1:2/graphql',
      healthcare: 'http://127.0.0.1:3/graphql',
      commerce: 'http://127.0.0.1:4/graphql',
    });
    const urls = [...out.matchAll(/@join__graph\(name: "(\w+)", url: "([^"]+)"\)/g)].map(
      (m) => m[2],
    );
    expect(urls.sort()).toEqual([1, 2, 3, 4].map((p) => `http://127.0.0.1:${p}/graphql`));
  });

  it('selects the region rollups the supergraph has, as a valid query', () => {
    const selection = new SupergraphInfo(sdl).regionRollupSelection();
    for (const field of ['culture {', 'healthcare {', 'commerce {'])
      expect(selection).toContain(field);
    const query = parse(`{ region(code: "33") { code ${selection} } }`);
    expect(validate(apiSchemaOf(sdl), query)).toEqual([]);
  });

  it('builds every workload from real codes', () => {
    const data = datasetFrom({
      data: {
        region: {
          children: [
            {
              code: '3311',
              children: [
                { code: '331124', villages: { edges: [{ node: { code: '331124100201' } }] } },
              ],
            },
          ],
        },
      },
    });
    const ctx = { info: new SupergraphInfo(sdl), data, authHeader: 'x-api-key: k-{n}' };
    for (const w of WORKLOADS) {
      const op = w.operation(ctx, 0);
      expect(op.query, w.name).toMatch(/^query \w+/);
    }
    const auth = WORKLOADS.find((w) => w.name === 'mix-auth')!;
    const [a, b] = [auth.operation(ctx, 1), auth.operation(ctx, 2)];
    expect(a.headers!['x-request-id']).not.toBe(b.headers!['x-request-id']);
    expect(a.headers!['x-api-key']).toMatch(/^k-1-/);
  });
});

describe('fixed-rate runs (--rate)', () => {
  const load = (rps: number, p99: number) => ({
    requests: rps * 10,
    durationSec: 10,
    rps,
    p50: 1,
    p95: 2,
    p99,
    non200: 0,
    errorBodies: 0,
    transportErrors: 0,
  });
  const rows: Measurement[] = [
    { gateway: 'ours', workload: 'profile', load: load(150, 9) },
    { gateway: 'stock', workload: 'profile', load: load(150, 10) },
    { gateway: 'hive-rust', workload: 'profile', load: load(150, 10) },
  ];

  it('reads the rate, and refuses a negative or non-numeric one', () => {
    expect(benchFlags(['--rate', '150']).rate).toBe(150);
    expect(benchFlags([]).rate).toBe(0);
    expect(() => benchFlags(['--rate', '-1'])).toThrow(/--rate/);
    expect(() => benchFlags(['--rate', 'fast'])).toThrow(/--rate/);
    expect(rateLabel(150)).toMatch(/^150 requests\/s/);
    expect(rateLabel(0)).toBe('as fast as the gateway answers');
  });

  it('leaves the goal verdict out of a fixed-rate table, and keeps it otherwise', () => {
    const atRate = workloadTable('profile', rows, 150);
    expect(atRate).toContain('Fixed rate of 150 requests/s');
    expect(atRate).not.toContain('Goal (');
    expect(workloadTable('profile', rows)).toContain('Goal (≥ 3× stock');
  });
});
