import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAINS, startFaultRig, type FaultRig } from './support/fault-rig.js';
import type { Garble } from './support/faults.js';

/**
 * A domain subgraph that answers HTTP 200 with valid JSON of the wrong shape — fields missing,
 * numbers as strings, `data: null` without an error, an entity fewer than asked, the entities
 * of another fetch (in another order: each item another village's) — through a
 * real proxy, on both engines. The gateway checks each answer against the operation it sent
 * (gateway/upstream/shape.ts): every value is the fault-free one or null with
 * SUBGRAPH_UNAVAILABLE, never one computed from what was missing (a digital index from a
 * coverage that was not there was 58.1 instead of 85.6, with no error).
 */
const GARBLES: Garble[] = ['dropFields', 'stringNumbers', 'dataNull', 'dropEntity', 'swapEntities'];

let rig: FaultRig;

beforeAll(async () => {
  rig = await startFaultRig({
    name: 'garbled',
    gatewayEnv: { SUBGRAPH_RETRIES: '0' },
    proxied: true,
  });
}, 300_000);

afterAll(() => rig?.stop(), 60_000);

describe('a subgraph answering valid JSON of the wrong shape, on both engines', () => {
  for (const garble of GARBLES) {
    it(`${garble}: every value is the fault-free one or null with SUBGRAPH_UNAVAILABLE`, async () => {
      const problems: string[] = [];
      for (const domain of DOMAINS) {
        const proxy = rig.proxies[domain]!;
        proxy.mode = garble;
        let judged: Awaited<ReturnType<FaultRig['judge']>>;
        try {
          judged = await rig.judge();
        } finally {
          proxy.mode = 'pass';
        }
        problems.push(...judged.problems.map((p) => `${domain} ${p}`));
        // The garbled answers were seen: some operations carried SUBGRAPH_UNAVAILABLE.
        expect(judged.withErrors, domain).toBeGreaterThan(0);
      }
      expect(problems).toEqual([]);
    }, 180_000);
  }
});
