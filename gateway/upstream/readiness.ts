import { IDENTITY_HEADER, signIdentity } from '../../contract/identity.js';

/** Who the readiness probe is to the subgraphs: the gateway itself, with no scope. */
const READINESS_PROBE = { id: 'gateway:readiness', kind: 'anonymous', scopes: [] };

/**
 * The subgraphs that do not answer `{ __typename }` within 2 s now (`/readyz`). The probe is
 * signed as every fetch is: outside development the subgraphs answer nothing else.
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
        if (!res.ok) down.push(s.name);
        await res.arrayBuffer();
      } catch {
        down.push(s.name);
      }
    }),
  );
  return down;
}
