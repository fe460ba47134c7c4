import autocannon, { type Result } from 'autocannon';
import { percentile } from './stats.js';
import type { Operation, Workload, WorkloadContext } from './workloads.js';

export interface LoadResult {
  requests: number;
  durationSec: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Responses with a status other than 200. */
  non200: number;
  /** 200 responses whose body holds `"errors"`. */
  errorBodies: number;
  /** Connection errors and timeouts seen by the load generator. */
  transportErrors: number;
  /** The first failing response, to explain the error count. */
  firstError?: string;
}

export function errorCount(r: LoadResult): number {
  return r.non200 + r.errorBodies + r.transportErrors;
}

function requestOf(op: Operation) {
  return {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', ...op.headers },
    body: JSON.stringify({ query: op.query, variables: op.variables }),
  };
}

type LoadOptions = Parameters<typeof runLoad>[0];

/**
 * A warm-up run, unmeasured. It ends by closing its connections with requests still being
 * answered, and the gateway keeps answering them (holding their caller's slots,
 * MAX_IN_FLIGHT_PER_CALLER): wait for them before the measured run, or its first requests meet
 * 2 × `connections` in flight (429 `CONCURRENCY_LIMITED` in the run of 2026-12-07 07:50).
 */
export async function warmUp(opts: LoadOptions): Promise<void> {
  const run = await runLoad(opts);
  const drainMs = Math.min(10_000, Math.max(500, 3 * (run.p99 || 0)));
  await new Promise((resolve) => setTimeout(resolve, drainMs));
}

/**
 * Runs one workload against a URL for a fixed duration at a fixed number of connections and
 * checks every response. Latencies are kept whole so percentiles are exact.
 */
export async function runLoad(opts: {
  url: string;
  connections: number;
  durationSec: number;
  workload: Workload;
  ctx: WorkloadContext;
  /** Replaces the workload's operation (the floor runs). */
  fixed?: Operation;
  /** Stop after this many requests instead of after `durationSec` (priming). */
  amount?: number;
  /** Requests per second over all connections (autocannon's `overallRate`); unset: flat out. */
  rate?: number;
}): Promise<LoadResult> {
  const url = new URL(opts.url);
  const latencies: number[] = [];
  let non200 = 0;
  let errorBodies = 0;
  let firstError: string | undefined;
  let next = 0;
  const onResponse = (status: number, body: string) => {
    const bad = status !== 200 || body.includes('"errors"');
    if (!bad) return;
    if (status !== 200) non200++;
    else errorBodies++;
    firstError ??= `HTTP ${status}: ${body.slice(0, 300)}`;
  };
  const first = opts.fixed ?? opts.workload.operation(opts.ctx, 0);
  const request = {
    ...requestOf(first),
    path: url.pathname,
    onResponse,
    ...(opts.workload.varies && !opts.fixed
      ? {
          setupRequest: (req: object) => ({
            ...req,
            ...requestOf(opts.workload.operation(opts.ctx, next++)),
            path: url.pathname,
          }),
        }
      : {}),
  };
  const result = await new Promise<Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: url.origin,
        connections: opts.connections,
        ...(opts.amount ? { amount: opts.amount } : { duration: opts.durationSec }),
        ...(opts.rate ? { overallRate: opts.rate } : {}),
        timeout: 30,
        requests: [request],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
    });
  });
  return {
    requests: latencies.length,
    durationSec: result.duration,
    rps: latencies.length / result.duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    non200,
    errorBodies,
    transportErrors: result.errors + result.timeouts,
    firstError,
  };
}
