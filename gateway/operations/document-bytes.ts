import type { DocumentNode } from 'graphql';

/**
 * Estimated memory of a parsed document: its source text (kept alive by the locations, up to 2
 * bytes a character) and a few hundred bytes per token (the token list and the syntax nodes).
 * To bound caches by memory rather than by entries: a 1 MB document weighs as much as a
 * thousand small ones.
 */
export function documentBytes(doc: DocumentNode | undefined, text = doc?.loc?.source.body ?? '') {
  let tokens = 0;
  for (let t = doc?.loc?.startToken ?? null; t; t = t.next) tokens++;
  return 2 * text.length + 250 * tokens + 2048;
}
