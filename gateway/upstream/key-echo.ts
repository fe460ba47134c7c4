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
import { Lru } from '../operations/lru.js';

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

/** A fetch with the key fields asked back: its text and document, and what was added. */
export interface EchoedFetch {
  query: string;
  document: DocumentNode;
  /** The `_entities` field's response key. */
  at: string;
  /** Key fields asked back, by entity type. */
  keys: Map<string, string[]>;
}

type Representation = Record<string, unknown>;

const texts = new Lru<string, EchoedFetch>(500, 8 * 1024 * 1024, (_, k) => 4 * k.length);

/**
 * The fetch with the representations' scalar key fields asked back, or undefined when it has
 * no `_entities` with representations to check (a root query, a mutation).
 */
export function echoKeys(
  schema: GraphQLSchema,
  query: string,
  variables: Record<string, unknown> | undefined,
): EchoedFetch | undefined {
  const reps = variables?.representations;
  if (!Array.isArray(reps) || reps.length === 0 || !query.includes('_entities')) return undefined;
  const keys = new Map<string, Set<string>>();
  for (const rep of reps as unknown[]) {
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
  if (keys.size === 0) return undefined;
  const signature = [...keys].map(([t, f]) => `${t}:${[...f].sort().join(',')}`).join(';');
  const cacheKey = `${signature}\n${query}`;
  const known = texts.get(cacheKey);
  if (known) return known;
  const echoed = rewrite(parse(query), keys);
  if (echoed) texts.set(cacheKey, echoed);
  return echoed;
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

/**
 * An `_entities` field given `$representations`, the variable whose items are checked: a batched
 * fetch has one such field per variable (`_e0: _entities(representations: $r0)`).
 */
function takesRepresentations(field: FieldNode): boolean {
  const arg = field.arguments?.find((a) => a.name.value === 'representations')?.value;
  return (
    field.name.value === '_entities' &&
    arg?.kind === Kind.VARIABLE &&
    arg.name.value === 'representations'
  );
}

function rewrite(document: DocumentNode, keys: Map<string, Set<string>>): EchoedFetch | undefined {
  const op = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (!op || op.operation !== 'query') return undefined;
  const entities = op.selectionSet.selections.find(
    (s): s is FieldNode => s.kind === Kind.FIELD && takesRepresentations(s),
  );
  if (!entities?.selectionSet) return undefined;
  const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
  const added: InlineFragmentNode[] = [...keys].map(([type, fields]) => ({
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
  const field: FieldNode = {
    ...entities,
    selectionSet: {
      ...entities.selectionSet,
      selections: [...entities.selectionSet.selections, ...added],
    },
  };
  const selections = op.selectionSet.selections.map((s) => (s === entities ? field : s));
  const operation = { ...op, selectionSet: { ...op.selectionSet, selections } };
  const out = {
    ...document,
    definitions: document.definitions.map((d) => (d === op ? operation : d)),
  };
  return {
    query: print(out),
    document: out,
    at: entities.alias?.value ?? '_entities',
    keys: new Map([...keys].map(([t, f]) => [t, [...f]])),
  };
}

/**
 * Takes the echoed keys out of the answer (in place) and says which item named another entity
 * than its representation, or undefined. An item without its echo is one only when the answer
 * carries no error (a failed item is null with an error).
 */
export function takeEchoes(
  fetch: EchoedFetch,
  representations: readonly unknown[],
  result: { data?: unknown; errors?: readonly unknown[] },
): string | undefined {
  const data = result.data as Record<string, unknown> | null | undefined;
  const items = data?.[fetch.at];
  if (!Array.isArray(items)) return undefined;
  const hasErrors = (result.errors?.length ?? 0) > 0;
  let problem: string | undefined;
  items.forEach((item: Record<string, unknown> | null, i) => {
    if (typeof item !== 'object' || item === null) return;
    const rep = representations[i] as Representation | undefined;
    for (const field of fetch.keys.get(String(rep?.__typename)) ?? []) {
      const alias = PREFIX + field;
      const echoed = item[alias];
      delete item[alias];
      const missing = echoed === undefined || echoed === null;
      if (missing ? !hasErrors : String(echoed) !== String(rep?.[field])) {
        problem ??= `${fetch.at}.${i} answers ${field} ${missing ? 'missing' : 'of another entity'}`;
      }
    }
  });
  return problem;
}
