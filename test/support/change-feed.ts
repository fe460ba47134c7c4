/** The change feed as the tests read it: one page, and what a change says. */
export const FEED = `query($since: String, $first: Int) { villageChanges(since: $since, first: $first) {
  nodes { villageCode regionCode domains what changedAt village { code name } }
  pageInfo { endCursor hasNextPage } } }`;

export interface Change {
  villageCode: string | null;
  domains: string[];
  what: string[];
  village: { code: string; name: string } | null;
}
export interface Page {
  nodes: Change[];
  pageInfo: { endCursor: string; hasNextPage: boolean };
}
