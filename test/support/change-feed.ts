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

/** Every change after `since`, a page of `first` at a time, and the cursor at the end. */
export async function readFeed(
  feed: (since: string, first: number) => Promise<Page>,
  since: string,
  first: number,
): Promise<{ changes: Change[]; end: string }> {
  const changes: Change[] = [];
  let cursor = since;
  for (let pages = 0; pages < 100; pages++) {
    const page = await feed(cursor, first);
    changes.push(...page.nodes);
    cursor = page.pageInfo.endCursor;
    if (!page.pageInfo.hasNextPage) return { changes, end: cursor };
  }
  throw new Error('the feed did not end');
}
