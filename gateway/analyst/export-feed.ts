import { ownQuery, type OwnIdentity } from '../upstream/own-query.js';

const EXPORT_FEED_MARK: OwnIdentity = { id: 'gateway:export', kind: 'anonymous', scopes: [] };

/**
 * Asks places for the change feed's end once an export has read its last page, so that places
 * has seen every change whose data the export may have read (subgraphs/places/changes/
 * feed-watch.ts): a domain database later restored to before one of them is then noticed, and
 * the cursors of the partners who exported it are refused instead of reading on past the loss.
 * Whether places answered with a cursor.
 */
export async function markFeedEnd(
  subgraphs: readonly { name: string; url: string }[],
  sharedSecret: string,
): Promise<boolean> {
  const placesUrl = subgraphs.find((s) => s.name === 'places')?.url;
  if (!placesUrl) return true;
  const data = (await ownQuery(
    placesUrl,
    EXPORT_FEED_MARK,
    sharedSecret,
    '{ villageChanges { pageInfo { endCursor } } }',
    10_000,
  )) as { villageChanges?: { pageInfo?: { endCursor?: unknown } } } | undefined;
  return typeof data?.villageChanges?.pageInfo?.endCursor === 'string';
}
