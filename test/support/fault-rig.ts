import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { expect } from 'vitest';
import { loadGatewayConfig } from '../../gateway/config.js';
import { createGateway, type RunningGateway } from '../../gateway/gateway.js';
import { startTopology, type Topology } from '../../scripts/topology.js';
import { dropDatabase } from '../../subgraphs/shared/pg-admin.js';
import { TEST_POSTGRES_URL } from './databases.js';
import { OPERATIONS, SONGYANG, violations } from './fault-answers.js';
import { startFaultProxy, type FaultProxy } from './faults.js';
import { postGraphQL, type GraphQLResponse } from './subgraph.js';

export const DOMAINS = ['culture', 'healthcare', 'commerce'] as const;
export type Domain = (typeof DOMAINS)[number];
export type Engine = 'hive-router' | 'apollo';
/** A document to ask: OPERATIONS' or any other. */
type Operation = { query: string; variables?: Record<string, unknown> };
type Judged = { problems: string[]; withErrors: number };

/**
 * The fault tests' set-up: the four subgraphs as real processes (SONGYANG), optionally a
 * FaultProxy in front of each subgraph, two gateways over them — the default engine
 * and GATEWAY_ENGINE=apollo — and the fault-free answers to OPERATIONS (`baseline`), taken once
 * the graph answers (new processes on a busy machine may time out at first).
 */
export interface FaultRig {
  topology: Topology;
  /** With `proxied`: one in front of each subgraph, places included. */
  proxies: Partial<Record<Domain | 'places', FaultProxy>>;
  baseline: Map<string, GraphQLResponse>;
  ask(engine: Engine, op: Operation): Promise<GraphQLResponse>;
  /** Runs OPERATIONS on both engines; what breaks the contract against the baseline. */
  judge(): Promise<Judged>;
  waitUntilAnswered(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFaultRig(opts: {
  name: string;
  gatewayEnv: Record<string, string>;
  proxied?: boolean;
  /** The operations judged and waited for (default OPERATIONS). */
  operations?: typeof OPERATIONS;
}): Promise<FaultRig> {
  const operations = opts.operations ?? OPERATIONS;
  const dataDir = mkdtempSync(join(tmpdir(), `rdsg-${opts.name}-`));
  const prefix = `t_${opts.name}_${randomBytes(3).toString('hex')}_`;
  const topology = await startTopology({
    scope: SONGYANG,
    gateways: 0,
    dataDir,
    postgresUrl: TEST_POSTGRES_URL,
    databasePrefix: prefix,
    stdio: 'ignore',
    env: { LOG_LEVEL: 'warn' },
  });
  const proxies: FaultRig['proxies'] = {};
  const gateways: Partial<Record<Engine, RunningGateway>> = {};
  const stop = async () => {
    await Promise.all(Object.values(gateways).map((g) => g.close()));
    await Promise.all(Object.values(proxies).map((p) => p.close()));
    await topology.stop();
    if (TEST_POSTGRES_URL) {
      for (const name of ['places', 'culture', 'healthcare', 'commerce'])
        await dropDatabase(TEST_POSTGRES_URL, `${prefix}${name}`);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    return await readyRig();
  } catch (err) {
    // The caller gets no rig to stop: its processes and servers must not outlive the test file.
    await stop();
    throw err;
  }

  async function readyRig(): Promise<FaultRig> {
    if (opts.proxied) {
      for (const d of ['places', ...DOMAINS] as const)
        proxies[d] = await startFaultProxy(topology.subgraphs[d].url);
    }
    const urlOf = (name: 'places' | Domain) => proxies[name]?.url ?? topology.subgraphs[name].url;
    const startGateway = (engine: Engine) =>
      createGateway(
        loadGatewayConfig({
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'silent',
          PLACES_URL: urlOf('places'),
          CULTURE_URL: urlOf('culture'),
          HEALTHCARE_URL: urlOf('healthcare'),
          COMMERCE_URL: urlOf('commerce'),
          ANONYMOUS_RATE_LIMIT_PER_MINUTE: '0',
          ANONYMOUS_DAILY_QUOTA: '0',
          AUTH_FAILURES_PER_MINUTE: '0',
          KEYS_PATH: join(dataDir, 'keys.json'),
          SUPERGRAPH_WATCH: 'false',
          RESPONSE_CACHE: 'off',
          GATEWAY_ENGINE: engine,
          ...opts.gatewayEnv,
        }),
        pino({ level: 'silent' }),
      ).listen();
    const engines: Engine[] = ['hive-router', 'apollo'];
    for (const engine of engines) gateways[engine] = await startGateway(engine);
    const ask = (engine: Engine, op: Operation) =>
      postGraphQL(`http://127.0.0.1:${gateways[engine]!.port}/graphql`, op.query, op.variables);
    const baseline = new Map<string, GraphQLResponse>();
    /**
     * `op` asked on both engines until both answer it without errors, one operation at a time.
     * All of them at once on both engines, again until one round had no error, did not end
     * within 30 s in 2 of 3 runs at load 25: healthy fetches passed the short SUBGRAPH_TIMEOUT_MS
     * under that burst, and each breaker opened on them.
     */
    const answeredByBoth = async (op: Operation & { name: string }) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const answers = await Promise.all(engines.map((engine) => ask(engine, op)));
        if (answers.every((a) => !a.body.errors)) return answers;
        if (Date.now() > deadline) {
          const codes = answers.flatMap((a) => a.body.errors ?? []).map((e) => e.extensions?.code);
          throw new Error(`${op.name} still answered with errors after 30 s: ${codes.join()}`);
        }
        await new Promise((r) => setTimeout(r, 300));
      }
    };

    const rig: FaultRig = {
      topology,
      proxies,
      baseline,
      ask,
      async judge() {
        // The engines are two gateways with a breaker each: asked side by side, each still
        // meets the operations in the same order, and a hung subgraph's timeouts overlap. Both
        // end before a failure is thrown, so no request of this check reaches the next one's.
        const settled = await Promise.allSettled(
          engines.map(async (engine) => {
            const problems: string[] = [];
            let withErrors = 0;
            for (const op of operations) {
              const answer = await ask(engine, op);
              expect(answer.status, `${engine} ${op.name}`).toBe(200);
              if (answer.body.errors) withErrors += 1;
              for (const p of violations(baseline.get(op.name)!.body.data, answer, op.query))
                problems.push(`${engine} ${op.name}: ${p}`);
            }
            return { problems, withErrors };
          }),
        );
        const failed = settled.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
        const judged = settled.map((r) => (r as PromiseFulfilledResult<Judged>).value);
        return {
          problems: judged.flatMap((j) => j.problems),
          withErrors: judged.reduce((sum, j) => sum + j.withErrors, 0),
        };
      },
      async waitUntilAnswered() {
        for (const op of operations) await answeredByBoth(op);
      },
      stop,
    };
    for (const op of operations) {
      const [hive, apollo] = await answeredByBoth(op);
      expect(apollo.body.data, op.name).toEqual(hive.body.data);
      baseline.set(op.name, hive);
    }
    return rig;
  }
}
