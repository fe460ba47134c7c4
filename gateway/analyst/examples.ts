/**
 * The example operations GraphiQL opens with, one tab each. They are plain documents so they are
 * easy to update when the schema grows; test/examples.test.ts validates every one of them against
 * schema/supergraph.graphql. An example whose fields are not in the supergraph yet carries
 * `pending` (the reason) and is left out of the page until it validates; the test fails as soon as
 * a pending example becomes valid, so the mark is removed then.
 */
export interface ExampleOperation {
  /** Operation name, also the tab's title. */
  name: string;
  /** What the example shows, for the docs. */
  description: string;
  document: string;
  variables?: Record<string, unknown>;
  /** Why the example does not validate against the current supergraph yet. */
  pending?: string;
}

export const EXAMPLE_OPERATIONS: ExampleOperation[] = [
  {
    name: 'VillageProfile',
    description:
      'One village with its place in the hierarchy, its culture auditorium, its clinic and its online stores.',
    document: `# Houcang village (后仓村), Haishu district, Ningbo: one request, four subgraphs.
query VillageProfile($code: ID!) {
  village(code: $code) {
    code
    name
    kind
    township { code name }
    county { code name }
    city { code name }
    province { code name }
    culture {
      auditorium {
        name
        services
        digitalServiceHub
        provenance { kind source asOf }
      }
    }
    healthcare {
      clinic { name level provenance { kind source } }
    }
    commerce {
      storeCount
      stores(first: 5) { edges { node { name platform category provenance { kind } } } }
    }
  }
}
`,
    variables: { code: '330203009205' },
  },
  {
    name: 'ProvinceOverview',
    description:
      'Zhejiang and its cities: village counts, one figure of each domain and the digital-village index.',
    document: `# Zhejiang province and its cities: village counts from the official division data, one
# figure from each domain subgraph, and the digital-village index (formula in README.md).
query ProvinceOverview($code: ID!) {
  region(code: $code) {
    code
    name
    level
    villageCount
    ruralVillageCount
    provenance { kind source asOf }
    digitalIndex {
      score
      components { cultureCoverage cultureUsage clinicAccess assistedBookings onlineStores onlineRevenue }
      weights { cultureCoverage cultureUsage clinicAccess assistedBookings onlineStores onlineRevenue }
      provenance { kind note }
    }
    children {
      code
      name
      villageCount
      ruralVillageCount
      culture { coveragePercent }
      healthcare { clinicAccess { shareWithin30Minutes } }
      commerce { stores { total } }
      digitalIndex { score }
    }
  }
}
`,
    variables: { code: '33' },
  },
  {
    name: 'RegionVillages',
    description: 'The rural villages of Songyang county, a page at a time.',
    document: `# The rural villages of Songyang county (松阳县), 20 per page; pass endCursor as $after.
query RegionVillages($regionCode: ID!, $after: String) {
  villages(filter: { regionCode: $regionCode, kind: RURAL_VILLAGE }, first: 20, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        code
        name
        township { name }
      }
    }
  }
}
`,
    variables: { regionCode: '331124' },
  },
  {
    name: 'CountyRanking',
    description: 'The counties of Lishui city ranked by active online stores.',
    document: `# The counties of Lishui city (丽水市) ranked by active online stores.
query CountyRanking($code: ID!) {
  region(code: $code) {
    name
    commerce {
      childRanking(by: STORE_COUNT) {
        rank
        region { code name ruralVillageCount }
        count
        provenance { kind source }
      }
    }
  }
}
`,
    variables: { code: '3311' },
  },
  {
    name: 'CountiesByIndex',
    description:
      'The counties of Lishui city ranked by digital-village index, with the components and a figure of each domain.',
    document: `# The counties of Lishui city (丽水市) ranked by digital-village index (0-100).
query CountiesByIndex($code: ID!) {
  region(code: $code) {
    name
    digitalIndex { score }
    childrenByIndex(first: 20) {
      rank
      region {
        code
        name
        culture { coveragePercent }
        healthcare { clinicAccess { shareWithin30Minutes } }
        commerce { stores { total } }
      }
      index {
        score
        components { cultureCoverage cultureUsage clinicAccess assistedBookings onlineStores onlineRevenue }
        provenance { kind note }
      }
    }
  }
}
`,
    variables: { code: '3311' },
  },
  {
    name: 'VillagesByIndex',
    description: 'The rural villages of Songyang county ranked by digital-village index.',
    document: `# The rural villages of Songyang county (松阳县) ranked by digital-village index.
query VillagesByIndex($code: ID!, $first: Int) {
  region(code: $code) {
    name
    villagesByIndex(first: $first) {
      rank
      village { code name township { name } }
      index {
        score
        components { cultureCoverage cultureUsage clinicAccess assistedBookings onlineStores onlineRevenue }
      }
    }
  }
}
`,
    variables: { code: '331124', first: 20 },
  },
  {
    name: 'RegionTrends',
    description: 'Month-by-month culture usage, assisted bookings and online sales of a region.',
    document: `# Month-by-month trends of Lishui city in 2020 from the three domain subgraphs.
query RegionTrends($code: ID!, $from: String!, $to: String!) {
  region(code: $code) {
    name
    culture { usage(from: $from, to: $to) { visits months { month visits assistedSessions { total } } } }
    healthcare { assistedBookings(from: $from, to: $to) { total months { month total } } }
    commerce { onlineSales(from: $from, to: $to) { orders months { month orders revenue { amount } } } }
  }
}
`,
    variables: { code: '3311', from: '2020-01', to: '2020-12' },
  },
  {
    name: 'SalesTrend',
    description: "Songyang county's online sales over a month range.",
    document: `# Online sales of Songyang county over a month range (inclusive).
query SalesTrend($code: ID!, $from: String!, $to: String!) {
  region(code: $code) {
    name
    commerce {
      onlineSales(from: $from, to: $to) {
        from
        to
        orders
        revenue { amount currency }
        months { month orders revenue { amount } }
        provenance { kind source note }
      }
    }
  }
}
`,
    variables: { code: '331124', from: '2021-01', to: '2021-12' },
  },
  {
    name: 'ReportStoreSales',
    description: "A mutation with variables: report a store's sales for one month.",
    document: `# Reports a store's sales for one month; needs an API key with the commerce:write scope.
# A repeated report for the same store and month replaces the earlier one.
mutation ReportStoreSales($input: ReportStoreSalesInput!) {
  reportStoreSales(input: $input) {
    storeId
    month
    orders
    provenance { kind source }
  }
}
`,
    variables: {
      input: {
        storeId: 'replace-with-a-store-id',
        month: '2021-06',
        orders: 120,
        revenue: '5230.00',
      },
    },
  },
];

/** The examples that validate against the current supergraph, in tab order. */
export function readyExamples(): ExampleOperation[] {
  return EXAMPLE_OPERATIONS.filter((e) => !e.pending);
}
