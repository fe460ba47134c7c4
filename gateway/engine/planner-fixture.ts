import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { createRequire } from 'node:module';
import { readSupergraph } from '../../scripts/api-schema.js';
import type { QueryPlan } from './fallback-planner.js';
import { asEnforcedSupergraph } from './supergraph.js';

/*
 * For tests of what is done with @apollo/gateway's plans: the planner it runs, loaded as it
 * loads it (fallback-planner.test.ts), over the project's supergraph.
 */
const gatewayRequire = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));
const { QueryPlanner } = (await import(
  gatewayRequire.resolve('@apollo/query-planner')
)) as typeof import('@apollo/query-planner');

export const sdl = asEnforcedSupergraph(readSupergraph());
const supergraph = Supergraph.build(sdl);
const planner = new QueryPlanner(supergraph);

/** The plan @apollo/gateway makes for `query`. */
export const plan = (query: string) =>
  planner.buildQueryPlan(
    operationFromDocument(supergraph.apiSchema(), parse(query)),
  ) as unknown as QueryPlan;

/** Each ranked child region of "33" by a `domain` metric, with `fields`. */
export const ranked = (domain: string, by: string, fields = 'code digitalIndex { score }') =>
  `{ region(code: "33") { ${domain} { childRanking(by: ${by}) { rank region { ${fields} } } } } }`;
