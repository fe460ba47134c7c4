import { IDENTITY_HEADER, signIdentity } from '../../contract/identity.js';

/** Who the readiness probe is to the subgraphs: the gateway itself, with no scope. */
const READINESS_PROBE = { id: 'gateway:readiness', kind: 'anonymous', scopes: [] };

/**
 * The subgraphs that do not answer `{ __typename }` within 2 s now (`/readyz`): a subgraph is up
 * when it answers HTTP 2xx with a JSON GraphQL result whose `data.__typename` is a string. The
 * probe is signed as every fetch is: outside development the subgraphs answer nothing else.
 */
export async function subgraphsDown(
  subgraphs: readonly { name: string; url: string }[],
  sharedSecret: string,
): Promise<string[]> {
  const down: string[] = [];
  await Promise.all(
    subgraphs.map(async (s) => {
      try {
        const res = await fetch(s.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [IDENTITY_HEADER]: signIdentity(READINESS_PROBE, sharedSecret),
          },
          body: JSON.stringify({ query: '{ __typename }' }),
          signal: AbortSignal.timeout(2_000),
        });
        // Up is an answer to the query sent: a proxy's HTML page or `{"data":null}` is not one.
        const body = res.ok ? ((await res.json()) as { data?: { __typename?: unknown } }) : null;
        if (!res.ok) await res.arrayBuffer();
        if (typeof body?.data?.__typename !== 'string') down.push(s.name);
      } catch {
        down.push(s.name);
      }
    }),
  );
  return down;
}
