import { describe, expect, it } from 'vitest';
import { repairPlan } from './plan-repair.js';
import { plan, ranked, sdl } from './planner-fixture.js';
import { unplannablePositions } from './unplannable.js';

type Node = { kind: string; [k: string]: unknown };
/** Each fetch of a plan as [position, subgraph, operation], in the order they run. */
function fetches(node: Node | undefined, at: unknown[] = []): [unknown[], string, string][] {
  if (!node) return [];
  if (node.kind === 'Fetch') return [[at, node.serviceName as string, node.operation as string]];
  if (node.kind === 'Flatten') return fetches(node.node as Node, [...at, ...(node.path as [])]);
  return ((node.nodes as Node[]) ?? []).flatMap((n) => fetches(n, at));
}

describe('a plan that asks a subgraph for its own @external fields, repaired', () => {
  it('asks places for them, then the ranking subgraph for what requires them', () => {
    for (const [domain, by] of [
      ['commerce', 'STORE_COUNT'],
      ['culture', 'AUDITORIUM_COUNT'],
      ['healthcare', 'FAMILY_DOCTOR_SHARE'],
    ] as const) {
      const planned = plan(ranked(domain, by));
      expect(unplannablePositions(planned, sdl).length).toBeGreaterThan(0);
      const repaired = repairPlan(planned, sdl);
      expect(unplannablePositions(repaired, sdl)).toEqual([]);
      const at = ['region', domain, 'childRanking', '@', 'region'];
      const steps = fetches(repaired.node as unknown as Node).filter(
        ([p]) => p.join() === at.join(),
      );
      const first = steps.findIndex(([, s, op]) => s === 'places' && /ruralVillageCount/.test(op));
      const input = steps.findIndex(([, s, op]) => s === domain && /IndexInput/.test(op));
      expect(first, domain).toBeGreaterThanOrEqual(0);
      expect(input, domain).toBeGreaterThan(first);
    }
  });

  it('leaves a plan that fetches each field from the subgraph that holds it as it was', () => {
    for (const query of [
      ranked('healthcare', 'FAMILY_DOCTOR_SHARE', 'code name'),
      '{ region(code: "33") { digitalIndex { score } culture { coverage } } }',
    ]) {
      const planned = plan(query);
      expect(repairPlan(planned, sdl)).toEqual(planned);
    }
  });
});
