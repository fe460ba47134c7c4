import { parse, type DocumentNode } from 'graphql';
import { documentBytes } from '../operations/document-bytes.js';
import { Lru } from '../operations/lru.js';

/** FETCH_CACHE_MB's default: what each cache of subgraph fetches may hold. */
export const DEFAULT_FETCH_CACHE_BYTES = 8 * 1024 * 1024;

/**
 * Documents parsed from a fetch's text, kept by their text: at most `entries`, and at most
 * `maxBytes` as documentBytes weighs them (the parsed tree, 100–300 times the text of a fetch
 * of short tokens), not as the text's length, which let a cache "of 8 MB" hold 50 MB.
 */
export class ParsedFetches {
  private readonly lru: Lru<string, DocumentNode>;

  /** `maxBytes`: FETCH_CACHE_MB (gateway/config.ts), 8 MiB by default. */
  constructor(
    entries = 500,
    readonly maxBytes = DEFAULT_FETCH_CACHE_BYTES,
  ) {
    this.lru = new Lru(entries, maxBytes, (doc, query) => documentBytes(doc, query));
  }

  /** The parsed document of `query` (parse errors are thrown, not kept). */
  get(query: string): DocumentNode {
    let doc = this.lru.get(query);
    if (!doc) {
      doc = parse(query);
      this.lru.set(query, doc);
    }
    return doc;
  }

  /** The sum of the entries' weights. */
  get weight(): number {
    return this.lru.weight;
  }

  get size(): number {
    return this.lru.size;
  }
}
