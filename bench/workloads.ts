import {
  PAGE_QUERY,
  PLACES_PAGE,
  PLACES_PROFILE,
  PROFILE_QUERY,
  provinceQuery,
  rankingQuery,
} from './queries.js';
import { prng } from './stats.js';
import type { SupergraphInfo } from './selection.js';

/**
 * The benchmark's workloads, in one place. Each builds the operation of its i-th request; a
 * workload whose operation never changes is sent as one pre-built request (cheapest for the
 * load generator). To change what is measured, edit this file (and the
 * operations' texts in queries.ts).
 */
export interface Operation {
  query: string;
  variables: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Real codes from the seeded data set, read from the places subgraph before the run. */
export interface Dataset {
  villageCodes: string[];
  countyCodes: string[];
  cityCodes: string[];
}

export interface WorkloadContext {
  info: SupergraphInfo;
  data: Dataset;
  /** Extra header for the auth workload ("Name: value", `{n}` replaced by a unique number). */
  authHeader?: string;
}

export interface Workload {
  name: string;
  description: string;
  /** Same operation every request (built once) or one per request. */
  varies: boolean;
  operation: (ctx: WorkloadContext, i: number) => Operation;
  /** The operation whose SQL statements are counted; none for mixes. */
  sqlProbe?: (ctx: WorkloadContext) => Operation;
  /** Variants by page size, to show the SQL count does not grow with it. */
  pageSizeProbe?: { sizes: number[]; operation: (ctx: WorkloadContext, size: number) => Operation };
  /** The same request's part served by one subgraph alone: the floor under any gateway. */
  floor?: { subgraph: string; operation: (ctx: WorkloadContext) => Operation };
}

/** Houcang village, Haishu district (named in the reported figures). */
export const PROFILE_VILLAGE = '330203009205';
/** Songyang county. */
export const PAGE_REGION = '331124';
/** Lishui city: its children are counties. */
export const RANKING_REGION = '3311';
export const PROVINCE = '33';

const pick = <T>(list: T[], r: number): T => list[Math.floor(r * list.length) % list.length];

/** One request of the mix: mostly profiles, some pages and rankings, every variable varied. */
function mixOperation(ctx: WorkloadContext, i: number): Operation {
  const rnd = prng(i + 1);
  const slot = i % 10;
  if (slot < 6)
    return { query: PROFILE_QUERY, variables: { code: pick(ctx.data.villageCodes, rnd()) } };
  if (slot < 8)
    return {
      query: PAGE_QUERY,
      variables: { region: pick(ctx.data.countyCodes, rnd()), first: 20 },
    };
  if (slot < 9)
    return { query: rankingQuery(ctx.info), variables: { code: pick(ctx.data.cityCodes, rnd()) } };
  return { query: provinceQuery(ctx.info), variables: { code: PROVINCE } };
}

export const WORKLOADS: Workload[] = [
  // The headline: a distinct key per request (random real codes), so that no gateway can share
  // one request's subgraph fetches with another's; run with the response cache off.
  {
    name: 'profile',
    description:
      'one village profile (fields from all four subgraphs), a random village of the data set per request',
    varies: true,
    operation: (ctx, i) => ({
      query: PROFILE_QUERY,
      variables: { code: pick(ctx.data.villageCodes, prng(i + 1)()) },
    }),
    sqlProbe: () => ({ query: PROFILE_QUERY, variables: { code: PROFILE_VILLAGE } }),
  },
  {
    name: 'page',
    description: 'a page of 20 village profiles of a random county per request',
    varies: true,
    operation: (ctx, i) => ({
      query: PAGE_QUERY,
      variables: { region: pick(ctx.data.countyCodes, prng(i + 1)()), first: 20 },
    }),
    sqlProbe: () => ({ query: PAGE_QUERY, variables: { region: PAGE_REGION, first: 20 } }),
  },
  {
    name: 'ranking',
    description:
      "a random city's counties with figures from culture, healthcare and commerce, per request",
    varies: true,
    operation: (ctx, i) => ({
      query: rankingQuery(ctx.info),
      variables: { code: pick(ctx.data.cityCodes, prng(i + 1)()) },
    }),
    sqlProbe: (ctx) => ({ query: rankingQuery(ctx.info), variables: { code: RANKING_REGION } }),
  },
  {
    name: 'mix',
    description: '60% profiles, 20% pages, 10% rankings, 10% overview; variables vary per request',
    varies: true,
    operation: mixOperation,
  },
  {
    name: 'mix-auth',
    description: 'the mix with a unique x-request-id (and --auth-header) on every request',
    varies: true,
    operation: (ctx, i) => {
      const op = mixOperation(ctx, i);
      const unique = `${i}-${Math.floor(Math.random() * 1e9)}`;
      const headers: Record<string, string> = { 'x-request-id': `bench-${unique}` };
      if (ctx.authHeader) {
        const at = ctx.authHeader.indexOf(':');
        headers[ctx.authHeader.slice(0, at).trim().toLowerCase()] = ctx.authHeader
          .slice(at + 1)
          .trim()
          .replaceAll('{n}', unique);
      }
      return { ...op, headers };
    },
  },
  // Repeated keys: reported separately, labelled so.
  {
    name: 'profile-repeated',
    description:
      'one village profile, the same village every request (repeated key: in-flight deduplication shares fetches; not the headline)',
    varies: false,
    operation: () => ({ query: PROFILE_QUERY, variables: { code: PROFILE_VILLAGE } }),
    sqlProbe: () => ({ query: PROFILE_QUERY, variables: { code: PROFILE_VILLAGE } }),
    floor: {
      subgraph: 'places',
      operation: () => ({ query: PLACES_PROFILE, variables: { code: PROFILE_VILLAGE } }),
    },
  },
  {
    name: 'page-repeated',
    description:
      'a page of 50 village profiles of one county, the same every request (repeated key)',
    varies: false,
    operation: () => ({ query: PAGE_QUERY, variables: { region: PAGE_REGION, first: 50 } }),
    sqlProbe: () => ({ query: PAGE_QUERY, variables: { region: PAGE_REGION, first: 50 } }),
    pageSizeProbe: {
      sizes: [5, 50, 100],
      operation: (_ctx, first) => ({
        query: PAGE_QUERY,
        variables: { region: PAGE_REGION, first },
      }),
    },
    floor: {
      subgraph: 'places',
      operation: () => ({ query: PLACES_PAGE, variables: { region: PAGE_REGION, first: 50 } }),
    },
  },
  {
    name: 'ranking-repeated',
    description:
      "one city's counties with figures from culture, healthcare and commerce, the same every request (repeated key)",
    varies: false,
    operation: (ctx) => ({ query: rankingQuery(ctx.info), variables: { code: RANKING_REGION } }),
    sqlProbe: (ctx) => ({ query: rankingQuery(ctx.info), variables: { code: RANKING_REGION } }),
  },
  {
    name: 'province',
    description: "the province's cities with their figures (one province: repeated key)",
    varies: false,
    operation: (ctx) => ({ query: provinceQuery(ctx.info), variables: { code: PROVINCE } }),
    sqlProbe: (ctx) => ({ query: provinceQuery(ctx.info), variables: { code: PROVINCE } }),
  },
];

/** The query that lists real codes for the mixes (sent to the places subgraph directly). */
export const DATASET_QUERY = `query BenchDataset($code: ID!) { region(code: $code) {
  children { code children { code villages(first: 23, kind: RURAL_VILLAGE) { edges { node { code } } } } }
} }`;

export function datasetFrom(body: unknown): Dataset {
  type Node = {
    code: string;
    children?: Node[];
    villages?: { edges: { node: { code: string } }[] };
  };
  const province = (body as { data?: { region?: Node } }).data?.region;
  const cities = province?.children ?? [];
  const counties = cities.flatMap((c) => c.children ?? []);
  const villages = counties.flatMap((c) => (c.villages?.edges ?? []).map((e) => e.node.code));
  if (villages.length === 0) throw new Error('no villages found in the places subgraph');
  return {
    cityCodes: cities.map((c) => c.code),
    countyCodes: counties.map((c) => c.code),
    villageCodes: villages,
  };
}
