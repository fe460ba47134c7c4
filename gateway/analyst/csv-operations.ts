/**
 * The registry of operations analysts can download as CSV at `GET /csv/<name>?<variables>`.
 * Only these persisted documents run there; each goes through the gateway's own /graphql path,
 * so the caller's API key, scopes and limits apply exactly as for GraphQL.
 *
 * To add one: write the document (fields and inline fragments only, no named fragments), name the
 * dotted path from `data` to the objects that become rows (`rows`; lists on the way are
 * flattened, e.g. `villages.edges.node`), and, for a Relay connection that should be followed to
 * its end, its path (`paginate`) with a `$after: String` variable and `pageInfo { hasNextPage
 * endCursor }` selected. Columns are the row's selected leaf fields, nested ones as dotted names,
 * in selection order. test/csv.test.ts validates every entry against the supergraph.
 */
export interface CsvOperation {
  /** What the rows are, for GET /csv and the docs. */
  description: string;
  document: string;
  rows: string;
  paginate?: string;
  /**
   * A path that must not be null on the first page (the region asked for): otherwise the
   * download is 404 NOT_FOUND, where an empty list alone could not tell a mistyped region from
   * one without rows.
   */
  exists?: string;
}

export const CSV_OPERATIONS: Record<string, CsvOperation> = {
  'region-villages': {
    description:
      'Village-level units of a region (any level) with their kind, township and county; optionally only one kind.',
    document: `query CsvRegionVillages($regionCode: ID!, $kind: VillageKind, $after: String) {
  region(code: $regionCode) { code }
  villages(filter: { regionCode: $regionCode, kind: $kind }, first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        code
        name
        kind
        township { code name }
        county { code name }
      }
    }
  }
}`,
    rows: 'villages.edges.node',
    paginate: 'villages',
    exists: 'region',
  },
  'region-children': {
    description:
      'The regions one level below a region, with their village and rural-village counts.',
    document: `query CsvRegionChildren($code: ID!) {
  region(code: $code) {
    children {
      code
      name
      level
      villageCount
      ruralVillageCount
    }
  }
}`,
    rows: 'region.children',
  },
  provinces: {
    description: 'All provinces with their village and rural-village counts.',
    document: `query CsvProvinces {
  provinces {
    code
    name
    villageCount
    ruralVillageCount
  }
}`,
    rows: 'provinces',
  },
};
