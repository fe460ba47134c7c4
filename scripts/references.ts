/**
 * Every cross-subgraph reference of the graph, declared once. `npm run check:references`
 * (scripts/check-references.ts) walks each kind listed in REFERENCE_KINDS through the gateway:
 * a kind added here is checked from then on, with nothing else to change.
 *
 * A kind names the walk that reaches its references (a paged list query of the public API, run
 * per region), the fields it needs on each node of that walk (merged into the walk's query with
 * the other kinds' fields), and how to read the references out of a node. A reference is either
 * a key whose existence the checker confirms with the owner (`target: 'Village' | 'Region'`,
 * looked up in places) or a field the gateway resolves through the owner in the same query
 * (`target: 'joined'`, dangling when the owner answers null).
 */

/** The paged list queries a kind's references are reached through (all through the gateway). */
export const WALKS = {
  /** places: every village-level unit of the region, ordered by code. */
  villages: {
    owner: 'places',
    field: 'villages',
    args: 'filter: { regionCode: $region }',
    pageSize: 50,
    // The walk also yields the villages and regions places knows (the lookup targets).
    base: 'code township { code } county { code } city { code } province { code }',
  },
  /** culture: the region's auditoriums. */
  auditoriums: {
    owner: 'culture',
    field: 'auditoriums',
    args: 'filter: { regionCode: $region }',
    pageSize: 100,
    base: 'id',
  },
  /** healthcare: facilities standing in the region. */
  facilities: {
    owner: 'healthcare',
    field: 'facilities',
    args: 'regionCode: $region',
    pageSize: 100,
    base: 'id',
  },
  /** commerce: enterprises located in the region. */
  enterprises: {
    owner: 'commerce',
    field: 'enterprises',
    args: 'regionCode: $region',
    pageSize: 100,
    base: 'id',
  },
  /** commerce: e-commerce parks of the region. */
  ecommerceParks: {
    owner: 'commerce',
    field: 'ecommerceParks',
    args: 'regionCode: $region',
    pageSize: 100,
    base: 'id',
  },
  /** commerce: processing workshops of the region. */
  processingWorkshops: {
    owner: 'commerce',
    field: 'processingWorkshops',
    args: 'regionCode: $region',
    pageSize: 100,
    base: 'id',
  },
} as const;

export type WalkName = keyof typeof WALKS;

/** One reference found on a node: its source, and the key (checked) or its resolution. */
export type Reference =
  | { source: string; target: 'Village' | 'Region'; key: string }
  | { source: string; target: 'joined'; key: string | null; resolved: boolean };

/**
 * A nested list longer than one page (a village's online stores): the checker pages through it
 * with this query (variables `$code`, `$after`) and reads each node with `refs`.
 */
export interface FollowUp {
  query: string;
  variables: Record<string, unknown>;
  /** Path from `data` to the connection. */
  path: string[];
  refs: (node: Node) => Reference[];
}

// GraphQL answers are plain JSON: the kinds read them loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Node = Record<string, any>;

export interface ReferenceKind {
  /** `Type.field` of the referring side. */
  name: string;
  /** Owning subgraph of the referring rows → owner and type of what they point at. */
  from: string;
  to: string;
  walk: WalkName;
  /** Fields this kind needs on each node of the walk. */
  select: string;
  refs: (node: Node) => Reference[];
  /** Pages of a nested list the first page did not hold. */
  followUps?: (node: Node) => FollowUp[];
}

const STORE_FIELDS = 'id villageCode enterpriseId enterprise { id }';
const STORES_FIRST = 20;

/** The online stores listed on a village node, and a follow-up when there are more. */
function storesOf(node: Node): Node[] {
  return (node.commerce?.stores?.edges ?? []).map((e: Node) => e.node as Node);
}

function moreStores(node: Node, refs: (store: Node) => Reference[]): FollowUp[] {
  const stores = node.commerce?.stores;
  if (!stores?.pageInfo?.hasNextPage) return [];
  return [
    {
      query: `query($code: ID!, $after: String) { village(code: $code) { commerce {
        stores(first: 100, after: $after) { edges { node { ${STORE_FIELDS} } }
          pageInfo { hasNextPage endCursor } } } } }`,
      variables: { code: node.code, after: stores.pageInfo.endCursor },
      path: ['village', 'commerce', 'stores'],
      refs,
    },
  ];
}

const storeVillage = (s: Node): Reference[] => [
  { source: `store ${s.id}`, target: 'Village', key: s.villageCode },
];
const storeEnterprise = (s: Node): Reference[] =>
  s.enterpriseId
    ? [
        {
          source: `store ${s.id}`,
          target: 'joined',
          key: s.enterpriseId,
          resolved: s.enterprise?.id === s.enterpriseId,
        },
      ]
    : [];
const VILLAGE_STORES = `commerce { stores(first: ${STORES_FIRST}) { edges { node { ${STORE_FIELDS} } }
  pageInfo { hasNextPage endCursor } } }`;

export const REFERENCE_KINDS: ReferenceKind[] = [
  {
    name: 'AssistancePoint.auditorium',
    from: 'healthcare',
    to: 'culture Auditorium',
    walk: 'villages',
    // A field culture owns: selecting only the key would let the gateway answer from
    // healthcare's side without asking culture whether the auditorium exists.
    select: 'healthcare { assistancePoints { id kind auditorium { id villageCode } } }',
    refs: (v) =>
      (v.healthcare?.assistancePoints ?? [])
        .filter((p: Node) => p.kind === 'CULTURE_AUDITORIUM')
        .map((p: Node) => ({
          source: `assistance point ${p.id} (village ${v.code})`,
          target: 'joined',
          key: p.auditorium?.id ?? null,
          resolved: typeof p.auditorium?.villageCode === 'string',
        })),
  },
  {
    name: 'AssistancePoint.villageCode',
    from: 'healthcare',
    to: 'places Village',
    walk: 'villages',
    select: 'healthcare { assistancePoints { id villageCode } }',
    refs: (v) =>
      (v.healthcare?.assistancePoints ?? []).map((p: Node) => ({
        source: `assistance point ${p.id}`,
        target: 'Village',
        key: p.villageCode,
      })),
  },
  {
    name: 'Auditorium.villageCode',
    from: 'culture',
    to: 'places Village',
    walk: 'auditoriums',
    select: 'villageCode',
    refs: (a) => [{ source: `auditorium ${a.id}`, target: 'Village', key: a.villageCode }],
  },
  {
    name: 'Facility.villageCode',
    from: 'healthcare',
    to: 'places Village',
    walk: 'facilities',
    select: 'villageCode',
    refs: (f) =>
      f.villageCode ? [{ source: `facility ${f.id}`, target: 'Village', key: f.villageCode }] : [],
  },
  {
    name: 'Facility.regionCode',
    from: 'healthcare',
    to: 'places Region',
    walk: 'facilities',
    select: 'regionCode',
    refs: (f) => [{ source: `facility ${f.id}`, target: 'Region', key: f.regionCode }],
  },
  {
    name: 'OnlineStore.villageCode',
    from: 'commerce',
    to: 'places Village',
    walk: 'villages',
    select: VILLAGE_STORES,
    refs: (v) => storesOf(v).flatMap(storeVillage),
    followUps: (v) => moreStores(v, storeVillage),
  },
  {
    name: 'OnlineStore.enterprise',
    from: 'commerce',
    to: 'commerce Enterprise',
    walk: 'villages',
    select: VILLAGE_STORES,
    refs: (v) => storesOf(v).flatMap(storeEnterprise),
    followUps: (v) => moreStores(v, storeEnterprise),
  },
  {
    name: 'ServicePoint.villageCode',
    from: 'commerce',
    to: 'places Village',
    walk: 'villages',
    select: 'commerce { servicePoints { id villageCode } }',
    refs: (v) =>
      (v.commerce?.servicePoints ?? []).map((p: Node) => ({
        source: `service point ${p.id}`,
        target: 'Village',
        key: p.villageCode,
      })),
  },
  {
    name: 'Enterprise.countyCode',
    from: 'commerce',
    to: 'places Region',
    walk: 'enterprises',
    select: 'countyCode',
    refs: (e) => [{ source: `enterprise ${e.id}`, target: 'Region', key: e.countyCode }],
  },
  {
    name: 'Enterprise.villageCode',
    from: 'commerce',
    to: 'places Village',
    walk: 'enterprises',
    select: 'villageCode',
    refs: (e) =>
      e.villageCode
        ? [{ source: `enterprise ${e.id}`, target: 'Village', key: e.villageCode }]
        : [],
  },
  {
    name: 'Enterprise.park',
    from: 'commerce',
    to: 'commerce EcommercePark',
    walk: 'enterprises',
    select: 'parkId park { id }',
    refs: (e) =>
      e.parkId
        ? [
            {
              source: `enterprise ${e.id}`,
              target: 'joined',
              key: e.parkId,
              resolved: e.park?.id === e.parkId,
            },
          ]
        : [],
  },
  {
    name: 'EcommercePark.countyCode',
    from: 'commerce',
    to: 'places Region',
    walk: 'ecommerceParks',
    select: 'countyCode',
    refs: (p) => [{ source: `park ${p.id}`, target: 'Region', key: p.countyCode }],
  },
  {
    name: 'ProcessingWorkshop.countyCode',
    from: 'commerce',
    to: 'places Region',
    walk: 'processingWorkshops',
    select: 'countyCode',
    refs: (w) => [{ source: `workshop ${w.id}`, target: 'Region', key: w.countyCode }],
  },
  {
    name: 'ProcessingWorkshop.villageCode',
    from: 'commerce',
    to: 'places Village',
    walk: 'processingWorkshops',
    select: 'villageCode',
    refs: (w) => [{ source: `workshop ${w.id}`, target: 'Village', key: w.villageCode }],
  },
];
