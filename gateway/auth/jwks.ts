import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  type JWTVerifyGetKey,
  type RemoteJWKSetOptions,
} from 'jose';
import { KeyStoreUnavailable } from './keys.js';

/** How long after a failed fetch of the key set the last set loaded answers without asking. */
export const JWKS_RETRY_MS = 30_000;

/** The largest key set read: a set is a few kB; a URL answering more is failing. */
export const MAX_JWKS_BYTES = 1 << 20;

/** fetch, with the body read up to MAX_JWKS_BYTES: jose reads it whole, however long. */
async function boundedFetch(url: string, init: RequestInit): Promise<Response> {
  const res = await fetch(url, init);
  if (res.status !== 200 || !res.body) return res;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > MAX_JWKS_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`The key set is over ${MAX_JWKS_BYTES} bytes.`);
    }
    chunks.push(read.value);
  }
  return new Response(Buffer.concat(chunks), { status: 200, headers: res.headers });
}

/** Errors of the token itself (its key is not in the set): the others are the set's URL failing. */
const ofTheToken = (err: unknown) =>
  err instanceof errors.JWKSNoMatchingKey ||
  err instanceof errors.JWKSMultipleMatchingKeys ||
  err instanceof errors.JOSENotSupported;

/**
 * The keys of a JWKS URL (JWT_JWKS_URL), kept as the API keys of Redis are. jose keeps a fetched
 * set for 10 minutes and then fetches it again before it verifies: a fetch that failed (the
 * identity provider down, hung, answering 5xx) failed every token, and valid ones were answered
 * 401 INVALID_CREDENTIALS, which a partner takes for a revoked credential. The last set loaded
 * now answers while the URL fails (asked again every JWKS_RETRY_MS); with none loaded yet the
 * token cannot be checked: `KeyStoreUnavailable` (503 KEY_STORE_UNAVAILABLE, never a false 401).
 */
export function remoteKeys(url: URL, options?: RemoteJWKSetOptions): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(url, { [customFetch]: boundedFetch, ...options });
  let failedAt = -Infinity;
  // The set jose holds, as a local set of its own (jose hands out a copy of it on each call).
  let last: { text: string; local: JWTVerifyGetKey } | undefined;
  const lastLoaded = () => {
    const keys = remote.jwks();
    if (!keys) return undefined;
    const text = JSON.stringify(keys);
    if (last?.text !== text) last = { text, local: createLocalJWKSet(keys) };
    return last.local;
  };
  const unavailable = () => new KeyStoreUnavailable('The token signing keys cannot be loaded.');
  return async (header, token) => {
    if (last && Date.now() - failedAt < JWKS_RETRY_MS) {
      try {
        return await last.local(header, token);
      } catch (err) {
        // A key the last set lacks may be a rotated one the URL now serves: it is asked.
        if (!(err instanceof errors.JWKSNoMatchingKey)) throw err;
      }
    }
    try {
      return await remote(header, token);
    } catch (err) {
      if (ofTheToken(err)) throw err;
      failedAt = Date.now();
      const stale = lastLoaded();
      if (!stale) throw unavailable();
      try {
        return await stale(header, token);
      } catch (e) {
        // Not in the last set, and the URL cannot say whether it holds it now: not a false 401.
        throw e instanceof errors.JWKSNoMatchingKey ? unavailable() : e;
      }
    }
  };
}
