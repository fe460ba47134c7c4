import { IDENTITY_HEADER, signIdentity } from '../../contract/identity.js';

/** Who the gateway is to a subgraph when it asks in its own name: no caller, no scope. */
export type OwnIdentity = { id: `gateway:${string}`; kind: 'anonymous'; scopes: [] };

/**
 * A query the gateway sends a subgraph in its own name (the readiness probe, an export's feed
 * mark), signed as every fetch is (outside development the subgraphs answer nothing else) and
 * bounded by `timeoutMs`. The `data` of a 2xx JSON answer; undefined for anything else: another
 * status, a body that is not JSON (a proxy's HTML page), a refused connection, a timeout.
 */
export async function ownQuery(
  url: string,
  who: OwnIdentity,
  sharedSecret: string,
  query: string,
  timeoutMs: number,
): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [IDENTITY_HEADER]: signIdentity(who, sharedSecret),
      },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) {
      await res.arrayBuffer();
      return undefined;
    }
    const body = (await res.json()) as { data?: unknown } | null;
    const data = body?.data;
    return data && typeof data === 'object' ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
