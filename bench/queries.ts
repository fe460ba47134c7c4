import type { SupergraphInfo } from './selection.js';

/** The operations the workloads send (workloads.ts). */
const PROFILE = /* GraphQL */ `
  fragment VillageProfile on Village {
    code
    name
    kind
    township {
      code
      name
    }
    county {
      code
      name
    }
    city {
      code
      name
    }
    province {
      code
      name
    }
    culture {
      auditorium {
        id
        name
        services
        digitalServiceHub
        yearOpened
      }
    }
    healthcare {
      clinic {
        id
        name
        level
      }
    }
    commerce {
      storeCount
      stores(first: 5) {
        totalCount
        edges {
          node {
            id
            name
            platform
            category
          }
        }
      }
    }
  }
`;

export const PROFILE_QUERY = `query VillageProfile($code: ID!) { village(code: $code) { ...VillageProfile } }
${PROFILE}`;

export const PAGE_QUERY = `query VillagePage($region: ID!, $first: Int!) {
  villages(filter: { regionCode: $region }, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ...VillageProfile } }
  }
}
${PROFILE}`;

/** The places subgraph's share of the profile: what a gateway cannot go below. */
export const PLACES_PROFILE = `query PlacesProfile($code: ID!) { village(code: $code) {
  code name kind township { code name } county { code name } city { code name } province { code name }
} }`;
export const PLACES_PAGE = `query PlacesPage($region: ID!, $first: Int!) {
  villages(filter: { regionCode: $region }, first: $first) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { code name kind township { code name } county { code name } city { code name } province { code name } } }
  }
}`;

/**
 * Region figures from the culture, healthcare and commerce subgraphs: their rollups on Region
 * when the supergraph has them, otherwise a sample of five villages per region.
 */
function regionFigures(info: SupergraphInfo): string {
  const rollups = info.regionRollupSelection();
  if (rollups) return rollups;
  return `villages(first: 5) { edges { node { code
    culture { auditorium { name } } healthcare { clinic { name } } commerce { storeCount } } } }`;
}

const rankingMemo = new WeakMap<SupergraphInfo, string>();
const provinceMemo = new WeakMap<SupergraphInfo, string>();

export function rankingQuery(info: SupergraphInfo): string {
  const known = rankingMemo.get(info);
  if (known) return known;
  const query = `query CountyRanking($code: ID!) { region(code: $code) { code name
  children { code name villageCount ruralVillageCount ${regionFigures(info)} }
} }`;
  rankingMemo.set(info, query);
  return query;
}

export function provinceQuery(info: SupergraphInfo): string {
  const known = provinceMemo.get(info);
  if (known) return known;
  // Without rollups the overview is the places subgraph's alone; with them, three more join in.
  const query = `query ProvinceOverview($code: ID!) { region(code: $code) { code name villageCount ruralVillageCount
  children { code name level villageCount ruralVillageCount ${info.regionRollupSelection()} }
} }`;
  provinceMemo.set(info, query);
  return query;
}
