import {
  Kind,
  getNamedType,
  isLeafType,
  isObjectType,
  parse,
  print,
  type DocumentNode,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
} from 'graphql';
import { documentBytes } from '../operations/document-bytes.js';
import { Lru } from '../operations/lru.js';
import { DEFAULT_FETCH_CACHE_BYTES } from './parsed-fetches.js';

/**
 * Each `_entities` item says which entity it is. The engines merge item i into the entity of
 * representation i; an answer of the right shape for other entities (a cache or proxy in front
 * of a subgraph answering another request's fetch, a subgraph that reorders its rows) would
 * put one village's figures on another with no error. So every entity fetch also asks for the
 * representation's key fields back under reserved aliases (`__key_code`: clients cannot send
 * `__` aliases, reserved-alias.ts), and the answer is refused unless each item names its own
 * representation. The aliases are taken out before the engine sees the answer.
 */
const PREFIX = '__key_';

/** One `_entities` field of a fetch and the key fields asked back of its representations. */
export interface EchoedField {
  /** The field's response key (`_entities`, or the planner's alias in a batched fetch: `_e0`). */
  at: string;
  /** The variable holding its representations (`representations`, `__batch_reps_0`). */
  variable: string;
  /** Key fields asked back, by entity type. */
  keys: Map<string, string[]>;
}

/** A fetch with the key fields asked back: its text and document, and what was added. */
export interface EchoedFetch {
  query: string;
  document: DocumentNode;
  fields: EchoedField[];
}

type Representation = Record<string, unknown>;
type KeysByType = Map<string, Set<string>>;

/**
 * The fetches already rewritten, one cache per gateway shared by its subgraphs, at most
 * `maxBytes` (FETCH_CACHE_MB, gateway/config.ts). Weighed by what an entry holds (the key, the
 * rewritten text and its parsed tree: documentBytes), not by the key's length: a fetch of short
 * tokens parses to 100–300 times its text.
 */
export class KeyEchoes {
  readonly texts: Lru<string, EchoedFetch>;

  constructor(readonly maxBytes = DEFAULT_FETCH_CACHE_BYTES) {
    this.texts = new Lru<string, EchoedFetch>(
      500,
      maxBytes,
      (echoed, key) => 2 * key.length + documentBytes(echoed.document, echoed.query),
    );
  }
}

/**
 * The fetch with the representations' scalar key fields asked back, or undefined when it has
 * no `_entities` with representations to check (a root query, a mutation). Every `_entities`
 * field given its representations in a variable is checked: one fetch of @apollo/gateway
 * (`$representations`), and each of the default engine's batched ones
 * (`_e0: _entities(representations: $__batch_reps_0)`).
 */
export function echoKeys(
  schema: GraphQLSchema,
  query: string,
  variables: Record<string, unknown> | undefined,
  { texts }: KeyEchoes,
): EchoedFetch | undefined {
  if (!variables || !query.includes('_entities')) return undefined;
  const byVariable = new Map<string, KeysByType>();
  for (const [name, value] of Object.entries(variables)) {
    if (!Array.isArray(value) || value.length === 0) continue;
    const keys = keysOf(schema, value);
    if (keys.size > 0) byVariable.set(name, keys);
  }
  if (byVariable.size === 0) return undefined;
  const signature = [...byVariable]
    .map(
      ([v, keys]) =>
        `${v}=${[...keys].map(([t, f]) => `${t}:${[...f].sort().join(',')}`).join(';')}`,
    )
    .join('|');
  const cacheKey = `${signature}\n${query}`;
  const known = texts.get(cacheKey);
  if (known) return known;
  const echoed = rewrite(parse(query), byVariable);
  if (echoed) texts.set(cacheKey, echoed);
  return echoed;
}

/** The key fields of these representations that are theirs to check (scalars), by type. */
function keysOf(schema: GraphQLSchema, reps: readonly unknown[]): KeysByType {
  const keys: KeysByType = new Map();
  for (const rep of reps) {
    if (typeof rep !== 'object' || rep === null) continue;
    const { __typename: typename, ...rest } = rep as Representation;
    const type = typeof typename === 'string' ? schema.getType(typename) : undefined;
    if (!type || !isObjectType(type)) continue;
    const keyFields = keyFieldsOf(type);
    for (const [field, value] of Object.entries(rest)) {
      const def = type.getFields()[field];
      if (typeof value === 'object' || !keyFields.has(field)) continue;
      if (!def || !isLeafType(getNamedType(def.type))) continue;
      const set = keys.get(type.name) ?? new Set<string>();
      keys.set(type.name, set.add(field));
    }
  }
  return keys;
}

const KEY_FIELDS = new WeakMap<GraphQLObjectType, Set<string>>();

/** The top-level fields of a type's `@join__type(key: …)` keys (not `@requires` inputs). */
function keyFieldsOf(type: GraphQLObjectType): Set<string> {
  let fields = KEY_FIELDS.get(type);
  if (fields) return fields;
  fields = new Set<string>();
  const nodes = [type.astNode, ...(type.extensionASTNodes ?? [])];
  for (const directive of nodes.flatMap((n) => n?.directives ?? [])) {
    if (directive.name.value !== 'join__type') continue;
    const key = directive.arguments?.find((a) => a.name.value === 'key')?.value;
    if (key?.kind !== Kind.STRING || key.value.includes('{')) continue;
    for (const f of key.value.split(/[\s,]+/)) if (f) fields.add(f);
  }
  KEY_FIELDS.set(type, fields);
  return fields;
}

/** The variable an `_entities` field takes its representations from, if it is one. */
function representationsVariable(field: FieldNode): string | undefined {
  if (field.name.value !== '_entities') return undefined;
  const arg = field.arguments?.find((a) => a.name.value === 'representations')?.value;
  return arg?.kind === Kind.VARIABLE ? arg.name.value : undefined;
}

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;

/** Inline fragments asking back each type's key fields under the reserved aliases. */
function echoFragments(keys: KeysByType): InlineFragmentNode[] {
  return [...keys].map(([type, fields]) => ({
    kind: Kind.INLINE_FRAGMENT,
    typeCondition: { kind: Kind.NAMED_TYPE, name: name(type) },
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [...fields].map((f) => ({
        kind: Kind.FIELD,
        alias: name(PREFIX + f),
        name: name(f),
      })),
    },
  }));
}

function rewrite(
  document: DocumentNode,
  byVariable: Map<string, KeysByType>,
): EchoedFetch | undefined {
  const op = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (!op || op.operation !== 'query') return undefined;
  const fields: EchoedField[] = [];
  const selections = op.selectionSet.selections.map((s) => {
    if (s.kind !== Kind.FIELD || !s.selectionSet) return s;
    const variable = representationsVariable(s);
    const keys = variable === undefined ? undefined : byVariable.get(variable);
    if (!keys) return s;
    fields.push({
      at: s.alias?.value ?? s.name.value,
      variable: variable!,
      keys: new Map([...keys].map(([t, f]) => [t, [...f]])),
    });
    const added = echoFragments(keys);
    return {
      ...s,
      selectionSet: { ...s.selectionSet, selections: [...s.selectionSet.selections, ...added] },
    };
  });
  if (fields.length === 0) return undefined;
  const operation = { ...op, selectionSet: { ...op.selectionSet, selections } };
  const out = {
    ...document,
    definitions: document.definitions.map((d) => (d === op ? operation : d)),
  };
  return { query: print(out), document: out, fields };
}

/** `at.i` of every item an error's path points into (`['_e0', 3, 'name']` → `_e0.3`). */
function failedItems(errors: readonly unknown[] | undefined): Set<string> {
  const failed = new Set<string>();
  for (const error of errors ?? []) {
    const path = (error as { path?: unknown } | null)?.path;
    if (Array.isArray(path) && path.length >= 2) failed.add(`${path[0]}.${path[1]}`);
  }
  return failed;
}

/**
 * Takes the echoed keys out of the answer (in place) and says which item named another entity
 * than its representation, or undefined. An item without its echo is one unless an error's path
 * points into that item (its key field failed to resolve: null, with that error).
 */
export function takeEchoes(
  fetch: EchoedFetch,
  variables: Record<string, unknown>,
  result: { data?: unknown; errors?: readonly unknown[] },
): string | undefined {
  const data = result.data as Record<string, unknown> | null | undefined;
  const failed = failedItems(result.errors);
  let problem: string | undefined;
  for (const { at, variable, keys } of fetch.fields) {
    const items = data?.[at];
    const representations = variables[variable];
    if (!Array.isArray(items) || !Array.isArray(representations)) continue;
    items.forEach((item: Record<string, unknown> | null, i) => {
      if (typeof item !== 'object' || item === null) return;
      const rep = representations[i] as Representation | undefined;
      for (const field of keys.get(String(rep?.__typename)) ?? []) {
        const alias = PREFIX + field;
        const echoed = item[alias];
        delete item[alias];
        const missing = echoed === undefined || echoed === null;
        if (missing ? !failed.has(`${at}.${i}`) : String(echoed) !== String(rep?.[field])) {
          problem ??= `${at}.${i} answers ${field} ${missing ? 'missing' : 'of another entity'}`;
        }
      }
    });
  }
  return problem;
}
