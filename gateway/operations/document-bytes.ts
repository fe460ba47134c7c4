import type { ASTNode, DocumentNode } from 'graphql';

/** Bytes a syntax node or token holds, with its location (measured: 120–170, see below). */
const BYTES_PER_NODE = 170;

/**
 * Estimated memory of a parsed document: its source text (kept alive by the locations, up to 2
 * bytes a character), and BYTES_PER_NODE for each token and each syntax node. To bound caches
 * by memory rather than by entries or text: a 1 MB document weighs as much as a thousand small
 * ones, and a short one whose tree is large (300 characters, 100 KB parsed: `{id id id …}` or
 * `a{a{a{…}}}`) weighs what it holds, not its text (docs/security.md, "Parsed documents").
 * Measured on graphql 16 (heap growth per parsed document, after gc): 120–170 bytes per token
 * plus node over nine shapes, from list values (121) to one-token fields (168).
 */
export function documentBytes(doc: DocumentNode | undefined, text = doc?.loc?.source.body ?? '') {
  let tokens = 0;
  for (let t = doc?.loc?.startToken ?? null; t; t = t.next) tokens++;
  return 2 * text.length + BYTES_PER_NODE * (tokens + (doc ? nodeCount(doc) : 0)) + 2048;
}

/** The syntax nodes of a document (every object with a `kind`), without graphql's visitor. */
function nodeCount(root: ASTNode): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (value && typeof value === 'object' && 'kind' in value) {
      count++;
      for (const [key, child] of Object.entries(value)) {
        if (key !== 'loc' && child && typeof child === 'object') stack.push(child);
      }
    }
  }
  return count;
}
