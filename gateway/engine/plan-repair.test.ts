import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { readSupergraph } from '../../scripts/api-schema.js';
import type { QueryPlan } from './fallback-planner.js';
import { repairPlan } from './plan-repair.js';
import { asEnforcedSupergraph } from './supergraph.js';
import { unplannablePositions } from './unplannable.js';

// The planner @apollo/gateway runs, loaded as it loads it (fallback-planner.test.ts).
const gatewayRequire = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));
const { QueryPlanner } = (await import(
  gatewayRequire.resolve('@apollo/query-planner')
)) as typeof import('@apollo/query-planner');

const sdl = asEnforcedSupergraph(readSupergraph());
const supergraph = Supergraph.build(sdl);
const planner = new QueryPlanner(supergraph);
const plan = (query: string) =>
  planner.buildQueryPlan(
    operationFromDocument(supergraph.apiSchema(), parse(query)),
  ) as unknown as QueryPlan;
const ranked = (domain: string, by: string, fields = 'code digitalIndex { score }') =>
  `{ region(code: "33") { ${domain} { childRanking(by: ${by}) { rank region { ${fields} } } } } }`;

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
      ranked('healthcare', 'FAMILY_DOCTOR_SHARE'),
      '{ region(code: "33") { digitalIndex { score } culture { coverage } } }',
    ]) {
      const planned = plan(query);
      expect(repairPlan(planned, sdl)).toEqual(planned);
    }
  });
});
