import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';
import { RequestRejection } from './limits.js';
import { Lru } from './lru.js';

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The trusted-documents manifest: operations registered ahead of time, by the SHA-256 of their
 * text. Accepts Apollo's persisted-query manifest (`{ format, operations: [{ id, body }] }`) or a
 * plain `{ "<sha256>": "<document>" }` map. Hashes are checked against the bodies on load.
 */
export function loadTrustedDocuments(path: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!path) return out;
  const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  const entries: [string, string][] = [];
  if (
    raw &&
    typeof raw === 'object' &&
    Array.isArray((raw as { operations?: unknown }).operations)
  ) {
    for (const op of (raw as { operations: { id: string; body: string }[] }).operations) {
      entries.push([op.id, op.body]);
    }
  } else if (raw && typeof raw === 'object') {
    for (const [id, body] of Object.entries(raw))
      if (typeof body === 'string') entries.push([id, body]);
  }
  for (const [id, body] of entries) {
    if (sha256(body) !== id.replace(/^sha256:/, '')) {
      throw new Error(`Trusted documents manifest ${path}: ${id} is not the SHA-256 of its body`);
    }
    out.set(sha256(body), body);
  }
  return out;
}

/**
 * A SHA-256 in hexadecimal, in the lower case the hashes are kept in: hex digits are one number
 * in either case, and a client writing them in upper case named a registered operation yet was
 * told it was not registered (PERSISTED_QUERY_NOT_IN_LIST) or that its hash did not match.
 */
function hexCase(hash: string): string {
  return /^[0-9A-Fa-f]{64}$/.test(hash) ? hash.toLowerCase() : hash;
}

interface PersistedQueryExtension {
  version?: number;
  sha256Hash?: string;
}

/**
 * Resolves the document text of a request: plain `query`, automatic persisted queries (APQ,
 * for frontends: hash first, text on a miss), or a trusted document by hash. Callers restricted
 * to trusted documents may only run operations whose hash is in the manifest.
 */
export function createDocumentResolver(opts: {
  trusted: Map<string, string>;
  apqCacheSize: number;
  /**
   * Bytes the APQ documents may hold together (DOCUMENT_CACHE_MB), and likewise the texts kept
   * with their hashes.
   */
  apqMaxBytes?: number;
}) {
  // Bounded by count and by bytes (2 a character at most): large texts cannot pile up.
  const maxBytes = opts.apqMaxBytes ?? Number.POSITIVE_INFINITY;
  const apq = new Lru<string, string>(opts.apqCacheSize, maxBytes, (query) => 2 * query.length);
  const remember = (hash: string, query: string) => apq.set(hash, query);

  // The SHA-256 of recently seen texts: a Map lookup is cheaper than hashing again. Any request
  // adds to it, before its text is parsed: it is bounded in bytes as the APQ cache is (the key
  // is the text; 64 characters of hash beside it).
  const hashes = new Lru<string, string>(
    opts.apqCacheSize,
    maxBytes,
    (hash, query) => 2 * (query.length + hash.length),
  );
  const hashOf = (query: string) => {
    let hash = hashes.get(query);
    if (hash === undefined) {
      hash = sha256(query);
      if (query.length <= 100_000) hashes.set(query, hash);
    }
    return hash;
  };

  function resolve(
    body: { query?: unknown; extensions?: unknown; documentId?: unknown },
    trustedOnly: boolean,
  ): { query: string; hash: string } {
    const ext = (body.extensions ?? {}) as { persistedQuery?: PersistedQueryExtension };
    const pq = ext.persistedQuery;
    const byId =
      typeof body.documentId === 'string'
        ? hexCase(body.documentId.replace(/^sha256:/, ''))
        : undefined;
    const pqHash = typeof pq?.sha256Hash === 'string' ? hexCase(pq.sha256Hash) : undefined;
    // Two names of two documents: running either one answers what the client did not ask.
    if (byId !== undefined && pqHash !== undefined && pqHash !== byId) {
      throw new RequestRejection(
        400,
        'BAD_REQUEST',
        '`documentId` and `extensions.persistedQuery.sha256Hash` name different documents.',
      );
    }
    const requestedHash = byId ?? pqHash;
    if (body.query !== undefined && typeof body.query !== 'string') {
      throw new RequestRejection(400, 'BAD_REQUEST', '`query` must be a string.');
    }
    let query = body.query as string | undefined;
    if (query === undefined && requestedHash) {
      query = opts.trusted.get(requestedHash) ?? (trustedOnly ? undefined : apq.get(requestedHash));
      if (query === undefined) {
        if (trustedOnly) {
          throw new RequestRejection(
            400,
            'PERSISTED_QUERY_NOT_IN_LIST',
            'This key may only run registered operations.',
          );
        }
        // A `documentId` alone names a registered (trusted) document, not an APQ hash: its
        // client has no text to send on a miss, so "not found, resend the text" misleads it.
        // Apollo Router answers an id not in its list the same way.
        if (pq === undefined || pq === null) {
          throw new RequestRejection(
            400,
            'PERSISTED_QUERY_NOT_IN_LIST',
            'No registered operation has this `documentId`.',
          );
        }
        // APQ protocol: the client retries with the text. 200, as clients expect it.
        throw new RequestRejection(200, 'PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound');
      }
    }
    if (query === undefined || query.length === 0) {
      throw new RequestRejection(400, 'BAD_REQUEST', 'The request has no GraphQL document.');
    }
    const hash = hashOf(query);
    if (requestedHash && requestedHash !== hash) {
      throw new RequestRejection(400, 'BAD_REQUEST', 'The persisted query hash does not match.');
    }
    if (trustedOnly && !opts.trusted.has(hash)) {
      throw new RequestRejection(
        400,
        'PERSISTED_QUERY_NOT_IN_LIST',
        'This key may only run registered operations.',
      );
    }
    if (pq && body.query !== undefined && !opts.trusted.has(hash)) remember(hash, query);
    return { query, hash };
  }
  /** Estimated bytes its caches hold (texts by APQ hash, hashes by text). */
  resolve.heldBytes = () => apq.weight + hashes.weight;
  return resolve;
}

/** The operation names of registered documents (labelled in metrics). */
export function operationNames(documents: Iterable<string>): string[] {
  const names: string[] = [];
  for (const text of documents) {
    try {
      for (const d of parse(text).definitions) {
        if (d.kind === Kind.OPERATION_DEFINITION && d.name) names.push(d.name.value);
      }
    } catch {
      // an unparsable document is refused when run; it names nothing here
    }
  }
  return names;
}
