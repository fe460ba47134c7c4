import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { visit, type DocumentNode } from 'graphql';
import type { GatewayContext } from '../context.js';
import { documentBytes } from '../operations/document-bytes.js';
import { Lru } from '../operations/lru.js';
import { canonicalOperation, conditionVariables } from './merge-fields.js';

/** Forms kept per document (one per value of the variables its `@skip`/`@include` read). */
export const CANONICAL_FORMS = 16;
/** What the cached forms may hold in all (EngineOptions.cacheBytes), by default. */
export const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;
/** A field of a form and its share of the runtime's plan, roughly, in bytes. */
const BYTES_PER_FIELD = 512;

/** The fields of a document (its weight in the forms cache). */
export function fieldCount(document: DocumentNode): number {
  let n = 0;
  visit(document, { Field: () => void (n += 1) });
  return n;
}

/**
 * Operations as the runtime is given them (merge-fields.ts), per document and per value of the
 * variables its `@skip`/`@include` read: at most CANONICAL_FORMS kept per document, all of them
 * within `cacheBytes`; an evicted document's forms are built again when it returns. Weighed by
 * what they hold, not by the text: a short document that spreads fragments expands to many
 * fields, and each form keeps the runtime's plan for it alive. An entry keeps its document (and
 * the text it was parsed from) alive: weighed as the document store weighs it, plus its forms.
 */
export class CanonicalForms {
  private readonly entries: Lru<
    DocumentNode,
    { conditions: string[]; forms: Map<string, DocumentNode> }
  >;

  constructor(cacheBytes = DEFAULT_CACHE_BYTES) {
    this.entries = new Lru(Number.MAX_SAFE_INTEGER, cacheBytes, (_entry, document) =>
      documentBytes(document),
    );
  }

  /** The form of the request's operation for these (coerced) variables. */
  formOf(
    request: GatewayGraphQLRequestContext<GatewayContext>,
    variables: Record<string, unknown>,
    flatten: boolean,
  ): DocumentNode {
    let entry = this.entries.get(request.document);
    if (!entry) {
      entry = { conditions: conditionVariables(request.document), forms: new Map() };
      this.entries.set(request.document, entry);
    }
    const key = `${request.operationName ?? ''}|${entry.conditions
      .map((n) => JSON.stringify(variables[n] ?? null))
      .join(',')}`;
    let document = entry.forms.get(key);
    if (!document) {
      document = canonicalOperation(request.document, request.operationName, variables, flatten);
      // Beyond the bound a form is rebuilt per request (and planned again): correct, slower.
      if (entry.forms.size < CANONICAL_FORMS) {
        entry.forms.set(key, document);
        this.entries.grow(request.document, fieldCount(document) * BYTES_PER_FIELD);
      }
    }
    return document;
  }
}
