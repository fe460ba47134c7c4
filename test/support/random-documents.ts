import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { rng, type Rng } from './rng.js';

/**
 * Seeded random VALID operations over a GraphQL schema (the gateway's API schema): wide and deep
 * selections, aliases, inline fragments, named fragments (reused, so they nest), variables with
 * and without defaults, `@include`/`@skip`. Every document passes graphql-js validation against
 * the schema; the same seed and options always give the same document.
 *
 *   const { query, variables } = randomOperation(schema, 42, { maxDepth: 4 });
 *
 * Argument values are plausible for this project by default (division codes, months, small page
 * sizes); `options.value` overrides them and `options.string` supplies free text (for odd or
 * hostile strings in a fuzz).
 */
export interface RandomOperationOptions {
  /** Root type: 'query' (default) or 'mutation'. */
  operation?: 'query' | 'mutation';
  /** Field nesting below the root (the root's fields are depth 1). Default 4. */
  maxDepth?: number;
  /** Most fields picked per selection set (at least one always is). Default 4. */
  maxWidth?: number;
  /** Chance (0–1) that a composite selection goes into a named fragment. Default 0.25. */
  fragments?: number;
  /** Chance that a field is wrapped in an inline fragment. Default 0.15. */
  inlineFragments?: number;
  /** Chance that a field gets an alias (fields with arguments always do). Default 0.2. */
  aliases?: number;
  /** Chance that an argument value is passed through a variable. Default 0.4. */
  variables?: number;
  /** Chance that a variable has a default value in the operation. Default 0.5. */
  defaults?: number;
  /** Chance that a field carries `@include`/`@skip` on a Boolean variable. Default 0.05. */
  conditions?: number;
  /**
   * Chance that an object field already selected (no alias, no arguments) is selected again in
   * the same selection set with another sub-selection — valid GraphQL, answered as one merged
   * field. Default 0.
   */
  duplicates?: number;
  /** Upper bound of `first`/`last`/`limit` arguments. Default 3. */
  maxPageSize?: number;
  /** Free text for String arguments without a known meaning. Default: short words. */
  string?: (rng: Rng) => string;
  /** Values for specific arguments (by argument name); undefined falls back to the defaults. */
  value?: (argument: GraphQLArgument, rng: Rng) => unknown;
}

export interface RandomOperation {
  query: string;
  variables: Record<string, unknown>;
  operationName: string;
}

/** Codes that exist in the seeded data: province, city, county, township, villages. */
export const KNOWN_REGION_CODES = ['33', '3311', '3302', '331124', '331124001'];
export const KNOWN_VILLAGE_CODES = ['331124001201', '330203009205', '330603011258'];

const WORDS = ['村', 'tea', 'Songyang', 'a', '文化', 'zz'];

function defaultValue(arg: GraphQLArgument, r: Rng, o: Required<RandomOperationOptions>) {
  const name = arg.name;
  if (/^(first|last|limit)$/.test(name)) return r.int(1, o.maxPageSize);
  if (name === 'code' || name === 'regionCode')
    return r.pick(r.chance(0.7) ? KNOWN_REGION_CODES : KNOWN_VILLAGE_CODES);
  if (name === 'villageCode') return r.pick(KNOWN_VILLAGE_CODES);
  if (name === 'month') return `2024-0${r.int(1, 9)}`;
  if (name === 'from') return r.pick(['2024-01', '2024-06']);
  if (name === 'to') return r.pick(['2024-06', '2024-12']);
  if (name === 'after') return null;
  return undefined;
}

/** A literal or JSON value of an input type (JSON for variables, GraphQL text for literals). */
function inputValue(
  type: GraphQLInputType,
  r: Rng,
  o: Required<RandomOperationOptions>,
  depth = 0,
): unknown {
  if (!isNonNullType(type) && r.chance(0.1)) return null;
  const t = getNullableType(type) as GraphQLInputType;
  if (isListType(t)) {
    const n = r.int(depth > 1 ? 0 : 1, 2);
    return Array.from({ length: n }, () => inputValue(t.ofType, r, o, depth + 1));
  }
  if (isEnumType(t)) return r.pick(t.getValues()).value;
  if (isInputObjectType(t)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(t.getFields())) {
      if (isNonNullType(f.type) || (depth < 2 && r.chance(0.4))) {
        const v =
          o.value({ name: f.name, type: f.type } as GraphQLArgument, r) ??
          defaultValue({ name: f.name } as GraphQLArgument, r, o) ??
          inputValue(f.type, r, o, depth + 1);
        out[f.name] = v === null && isNonNullType(f.type) ? inputValue(f.type, r, o, depth + 1) : v;
      }
    }
    return out;
  }
  if (isScalarType(t)) {
    switch (t.name) {
      case 'Int':
      case 'SafeInt':
        return r.int(0, 100);
      case 'Float':
        return Math.round(r.next() * 1000) / 10;
      case 'Boolean':
        return r.chance(0.5);
      case 'ID':
        return String(r.int(1, 20));
      case 'LocalDate':
        return `2024-0${r.int(1, 9)}-1${r.int(0, 9)}`;
      default:
        return o.string(r);
    }
  }
  return null;
}

/** GraphQL literal text of a JSON value of `type` (enums unquoted, objects as input objects). */
function literal(value: unknown, type: GraphQLInputType): string {
  if (value === null || value === undefined) return 'null';
  const t = getNullableType(type) as GraphQLInputType;
  if (isListType(t)) return `[${(value as unknown[]).map((v) => literal(v, t.ofType)).join(', ')}]`;
  if (isEnumType(t)) return String(value);
  if (isInputObjectType(t)) {
    const fields = t.getFields();
    const parts = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${k}: ${literal(v, fields[k].type)}`,
    );
    return `{${parts.join(', ')}}`;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/**
 * A random valid operation. Response keys within a selection set never collide in a way that
 * could fail field merging: a field with arguments always gets an alias unique in the document,
 * and a plain field is selected at most once per selection set.
 */
export function randomOperation(
  schema: GraphQLSchema,
  seed: number,
  options: RandomOperationOptions = {},
): RandomOperation {
  const o: Required<RandomOperationOptions> = {
    operation: 'query',
    maxDepth: 4,
    maxWidth: 4,
    fragments: 0.25,
    inlineFragments: 0.15,
    aliases: 0.2,
    variables: 0.4,
    defaults: 0.5,
    conditions: 0.05,
    duplicates: 0,
    maxPageSize: 3,
    string: (g) => g.pick(WORDS),
    value: () => undefined,
    ...options,
  };
  const r = rng(seed);
  const root = o.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!root) throw new Error(`The schema has no ${o.operation} type.`);

  const variableDefs: string[] = [];
  const variables: Record<string, unknown> = {};
  const fragments: { name: string; type: string; text: string }[] = [];
  let counter = 0;
  let fragmentCount = 0;

  function variableFor(type: GraphQLInputType, value: unknown): string {
    const name = `v${variableDefs.length}`;
    const typeText = String(type);
    if (r.chance(o.defaults)) {
      variableDefs.push(`$${name}: ${typeText} = ${literal(value, type)}`);
      // Sometimes the default is overridden by a value sent with the request.
      if (r.chance(0.3)) variables[name] = inputValue(type, r, o);
    } else {
      variableDefs.push(`$${name}: ${typeText}`);
      variables[name] = value;
    }
    return `$${name}`;
  }

  function argumentsOf(field: GraphQLField<unknown, unknown>): string {
    const parts: string[] = [];
    for (const arg of field.args) {
      if (!isNonNullType(arg.type) && !r.chance(0.5)) continue;
      let value = o.value(arg, r) ?? defaultValue(arg, r, o);
      if (value === undefined || (value === null && isNonNullType(arg.type))) {
        value = inputValue(arg.type, r, o);
      }
      const viaVariable = r.chance(o.variables) && value !== null;
      parts.push(
        `${arg.name}: ${viaVariable ? variableFor(arg.type, value) : literal(value, arg.type)}`,
      );
    }
    return parts.length ? `(${parts.join(', ')})` : '';
  }

  /** Fields that can be selected without required arguments we cannot make up, or with them. */
  const selectable = (type: GraphQLObjectType, leavesOnly: boolean) =>
    Object.values(type.getFields()).filter((f) => !leavesOnly || isLeafType(getNamedType(f.type)));

  function condition(): string {
    if (!r.chance(o.conditions)) return '';
    const name = `c${variableDefs.length}`;
    const value = r.chance(0.7);
    variableDefs.push(`$${name}: Boolean! = ${value}`);
    return ` @${r.chance(0.5) ? 'include' : 'skip'}(if: $${name})`;
  }

  function selectionSet(type: GraphQLObjectType, depth: number): string {
    const atBottom = depth >= o.maxDepth;
    let candidates = selectable(type, atBottom);
    if (candidates.length === 0) candidates = selectable(type, false);
    const width = r.int(1, Math.max(1, o.maxWidth));
    const picked: string[] = [];
    const plainUsed = new Set<string>();
    for (let i = 0; i < width; i++) {
      const field = r.pick(candidates);
      const named = getNamedType(field.type);
      const args = argumentsOf(field);
      const aliased = args !== '' || r.chance(o.aliases);
      const again =
        !aliased &&
        plainUsed.has(field.name) &&
        o.duplicates > 0 &&
        isObjectType(named) &&
        r.chance(o.duplicates);
      if (!aliased && plainUsed.has(field.name) && !again) continue;
      if (!aliased) plainUsed.add(field.name);
      const key = aliased ? `a${counter++}: ${field.name}` : field.name;
      let sub = '';
      if (isObjectType(named)) {
        if (depth >= o.maxDepth) {
          const leaf = selectable(named, true).find(
            (f) => !f.args.some((a) => isNonNullType(a.type)),
          );
          sub = ` { ${leaf?.name ?? '__typename'} }`;
        } else {
          sub = ` ${composite(named, depth + 1)}`;
        }
      }
      let text = `${key}${args}${condition()}${sub}`;
      if (r.chance(o.inlineFragments)) {
        text = `... ${r.chance(0.5) ? `on ${type.name} ` : ''}{ ${text} }`;
      }
      picked.push(text);
    }
    if (r.chance(0.1)) picked.push('__typename');
    return `{ ${picked.join(' ')} }`;
  }

  /** A selection set, sometimes as a spread of a (new or reused) named fragment. */
  function composite(type: GraphQLObjectType, depth: number): string {
    if (!r.chance(o.fragments)) return selectionSet(type, depth);
    const existing = fragments.filter((f) => f.type === type.name);
    if (existing.length && r.chance(0.5)) {
      // Reuse: nests fragments, and sometimes spreads two of them side by side.
      const spreads = [`...${r.pick(existing).name}`];
      if (r.chance(0.3)) spreads.push(`...${r.pick(existing).name}`);
      return `{ ${spreads.join(' ')} }`;
    }
    const name = `F${fragmentCount++}_${type.name}`;
    const placeholder = { name, type: type.name, text: '' };
    const body = selectionSet(type, depth);
    placeholder.text = `fragment ${name} on ${type.name} ${body}`;
    // Registered only once complete, so a fragment never spreads itself (no cycles).
    fragments.push(placeholder);
    return `{ ...${name} }`;
  }

  const operationName = `Random${seed >>> 0}`;
  const body = selectionSet(root, 1);
  const header = variableDefs.length ? `(${variableDefs.join(', ')})` : '';
  const query = [
    `${o.operation} ${operationName}${header} ${body}`,
    ...fragments.map((f) => f.text),
  ].join('\n');
  return { query, variables, operationName };
}
