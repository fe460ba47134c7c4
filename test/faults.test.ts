import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from './support/fault-answers.js';
import { DOMAINS, startFaultRig, type FaultRig } from './support/fault-rig.js';

/**
 * Issue 15, partial results: the four subgraphs as real processes (compiled, dist/), two
 * gateways over them — the default engine (Rust planner) and GATEWAY_ENGINE=apollo — and each
 * domain subgraph in turn hung (SIGSTOP) and then killed (SIGKILL). A fixed set of operations
 * (a village profile, a page, region figures, rankings, the index at village, county, city and
 * province level, `villagesByIndex`, `childrenByIndex`) is compared field by field with the
 * fault-free answers: every value is either exactly the fault-free one or null with a
 * SUBGRAPH_UNAVAILABLE error on its path, never a different number; every error path is a path
 * of the operation (no runtime alias `_e…`, no `@inaccessible` input field).
 */
let rig: FaultRig;

beforeAll(async () => {
  rig = await startFaultRig({
    name: 'faults',
    gatewayEnv: {
      SUBGRAPH_TIMEOUT_MS: '1500',
      SUBGRAPH_RETRIES: '0',
      // A fault's breaker must not outlive it into the next scenario.
      BREAKER_RESET_MS: '500',
    },
  });
}, 300_000);

afterAll(() => rig?.stop(), 60_000);

describe('partial results under a subgraph fault, on both engines', () => {
  it('answers the fault-free operations with data on both engines', () => {
    expect(rig.baseline.size).toBe(OPERATIONS.length);
    const index = rig.baseline.get('IndexAtEveryLevel')!.body.data as {
      county: { digitalIndex: { score: number } };
    };
    expect(index.county.digitalIndex.score).toBeGreaterThan(0);
  });

  for (const domain of DOMAINS) {
    for (const fault of ['hung', 'killed'] as const) {
      it(`with ${domain} ${fault}: every value is the fault-free one or null with SUBGRAPH_UNAVAILABLE`, async () => {
        const child = rig.topology.processOf(domain);
        child.kill(fault === 'hung' ? 'SIGSTOP' : 'SIGKILL');
        let judged: Awaited<ReturnType<FaultRig['judge']>>;
        try {
          judged = await rig.judge();
        } finally {
          if (fault === 'hung') child.kill('SIGCONT');
          else await rig.topology.restart(domain);
        }
        expect(judged.problems).toEqual([]);
        // The fault was seen: some answers carried SUBGRAPH_UNAVAILABLE.
        expect(judged.withErrors).toBeGreaterThan(0);
        await rig.waitUntilAnswered();
      }, 120_000);
    }
  }
});
