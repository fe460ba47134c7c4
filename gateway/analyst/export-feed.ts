import { IDENTITY_HEADER, signIdentity } from '../../contract/identity.js';

const EXPORT_FEED_MARK = { id: 'gateway:export', kind: 'anonymous', scopes: [] };

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
  try {
    const res = await fetch(placesUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [IDENTITY_HEADER]: signIdentity(EXPORT_FEED_MARK, sharedSecret),
      },
      body: JSON.stringify({ query: '{ villageChanges { pageInfo { endCursor } } }' }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as {
      data?: { villageChanges?: { pageInfo?: { endCursor?: unknown } } };
    };
    return res.ok && typeof body.data?.villageChanges?.pageInfo?.endCursor === 'string';
  } catch {
    return false;
  }
}
