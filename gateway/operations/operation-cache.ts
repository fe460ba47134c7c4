import { documentBytes } from './document-bytes.js';
import { createHash } from 'node:crypto';
import { print, printSchema, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Identity } from '../context.js';
import {
  authorizeOperation,
  type AuthDirectives,
  type AuthorizedOperation,
} from '../auth/authz.js';
import { RequestRejection, type createLimits } from './limits.js';
import { Lru } from './lru.js';

/** An operation ready to execute for one kind of caller: what may run, and its text. */
export interface PreparedOperation {
  auth: AuthorizedOperation;
  /** The text Apollo Server executes (re-printed when fields were removed or inlined). */
  text: string;
}

interface DocumentEntry {
  doc?: DocumentNode;
  parseError?: unknown;
  /** Validation outcome by "suggestions shown" (errors differ only in their hints). */
  validation: Map<boolean, RequestRejection | null>;
  /** By operation name and the caller's authorization (authenticated, scopes). */
  prepared: Map<string, PreparedOperation | undefined>;
  /** Estimated memory held: the text, its syntax tree, the re-printed texts. */
  bytes: number;
}

/**
 * Apollo Server's own store of parsed documents (its `documentStore`, which also keys the
 * runtime's plans), bounded by the same estimate instead of its default, which counts a
 * document's JSON and so weighs a 1 MB comment or string as a few bytes. A document the
 * pipeline has parsed and validated (`validated`: the operation cache) is answered from there:
 * Apollo Server parsed and validated every new document a second time on the event loop (a
 * sixth of the gateway's main-thread time under distinct documents) and kept a second copy.
 */
export function createDocumentStore(
  maxBytes: number,
  validated?: (key: string) => DocumentNode | undefined,
): {
  get(key: string): Promise<DocumentNode | undefined>;
  set(key: string, value: DocumentNode): Promise<void>;
  delete(key: string): Promise<void>;
} {
  const lru = new Lru<string, DocumentNode>(Number.MAX_SAFE_INTEGER, maxBytes, (doc) =>
    documentBytes(doc),
  );
  return {
    get: async (key) => validated?.(key) ?? lru.get(key),
    set: async (key, value) => lru.set(key, value),
    delete: async (key) => lru.delete(key),
  };
}

/**
 * Apollo Server's key of a document in its store: the SHA-256 of the printed schema, then that
 * of the text (its computeCoreSchemaHash and computeQueryHash).
 */
const storePrefixes = new WeakMap<GraphQLSchema, string>();
function storePrefix(schema: GraphQLSchema): string {
  let prefix = storePrefixes.get(schema);
  if (prefix === undefined) {
    prefix = `${createHash('sha256').update(printSchema(schema)).digest('hex')}:`;
    storePrefixes.set(schema, prefix);
  }
  return prefix;
}

/** Callers with the same answer here see the same operation: authenticated flag and scopes. */
export function authorizationKey(identity: Identity): string {
  return `${identity.authenticated ? 1 : 0}:${[...identity.scopes].sort().join(' ')}`;
}

/**
 * The per-document work of the pipeline, done once per document (by its SHA-256) instead of
 * once per request: parse, graphql-armor limits and spec validation (per schema), and the
 * authorization rewrite per kind of caller. Only the cost limit, which depends on variables,
 * runs per request. Cleared when the served schema changes.
 */
export function createOperationCache(opts: {
  size: number;
  /** Estimated bytes all entries may hold together (DOCUMENT_CACHE_MB). */
  maxBytes?: number;
  limits: ReturnType<typeof createLimits>;
  recordCache?: (cache: string, hit: boolean) => void;
}) {
  const entries = new Lru<string, DocumentEntry>(
    opts.size,
    opts.maxBytes ?? Number.POSITIVE_INFINITY,
    (entry) => entry.bytes,
  );
  let schemaOf: GraphQLSchema | undefined;

  function entryFor(
    schema: GraphQLSchema,
    hash: string,
    query: string,
    record = false,
  ): DocumentEntry {
    if (schema !== schemaOf) {
      entries.clear();
      schemaOf = schema;
    }
    let entry = entries.get(hash);
    if (record) opts.recordCache?.('document', entry !== undefined);
    if (entry) return entry;
    entry = { validation: new Map(), prepared: new Map(), bytes: 0 };
    try {
      entry.doc = opts.limits.parseDocument(query);
    } catch (err) {
      entry.parseError = err;
    }
    entry.bytes = documentBytes(entry.doc, query);
    entries.set(hash, entry);
    return entry;
  }

  /** The parsed, validated document; throws the request's rejection (cached too). */
  function document(
    schema: GraphQLSchema,
    hash: string,
    query: string,
    suggestions: boolean,
  ): DocumentNode {
    const entry = entryFor(schema, hash, query, true);
    if (entry.parseError !== undefined) throw entry.parseError;
    const doc = entry.doc!;
    let rejection = entry.validation.get(suggestions);
    if (rejection === undefined) {
      try {
        opts.limits.validateDocument(schema, doc, suggestions);
        rejection = null;
      } catch (err) {
        if (!(err instanceof RequestRejection)) throw err;
        rejection = err;
      }
      entry.validation.set(suggestions, rejection);
    }
    if (rejection) throw rejection;
    return doc;
  }

  /** The operation as this caller may run it; undefined when no operation can be chosen. */
  function authorize(input: {
    schema: GraphQLSchema;
    directives: AuthDirectives;
    sensitiveTypes: ReadonlySet<string>;
    hash: string;
    query: string;
    operationName: string | undefined;
    identity: Identity;
  }): PreparedOperation | undefined {
    const entry = entryFor(input.schema, input.hash, input.query);
    const key = `${input.operationName ?? ''}\n${authorizationKey(input.identity)}`;
    if (entry.prepared.has(key)) return entry.prepared.get(key);
    const auth = authorizeOperation(
      input.schema,
      input.directives,
      input.sensitiveTypes,
      entry.doc!,
      input.operationName,
      input.identity,
    );
    const prepared = auth
      ? { auth, text: auth.changed && auth.document ? print(auth.document) : input.query }
      : undefined;
    // Bounded: a document has few operations, and callers fall into few scope sets.
    if (entry.prepared.size < 64) {
      entry.prepared.set(key, prepared);
      if (prepared && prepared.text !== input.query) {
        entry.bytes += 2 * prepared.text.length;
        entries.grow(input.hash, 2 * prepared.text.length);
      }
    }
    return prepared;
  }

  /**
   * The parsed document under Apollo Server's document store key (createDocumentStore), if it
   * passed validation against the schema that key names; else undefined (Apollo Server parses).
   */
  function validated(key: string): DocumentNode | undefined {
    if (!schemaOf || !key.startsWith(storePrefix(schemaOf))) return undefined;
    const entry = entries.peek(key.slice(storePrefix(schemaOf).length));
    if (!entry?.doc || ![...entry.validation.values()].includes(null)) return undefined;
    return entry.doc;
  }

  return { document, authorize, validated };
}
