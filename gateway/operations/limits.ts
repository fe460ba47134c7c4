import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import type { GatewayConfig } from '../config.js';
import { costOf, SlicingArgumentError, VariableValuesError, type CostModel } from './cost.js';
import { fragmentsOf } from './fragments.js';
import { ReservedAliasRule, ReservedVariableRule } from './reserved-alias.js';

export { costOf, CostModel } from './cost.js';

/** A request refused before execution: HTTP status and a stable code. */
export class RequestRejection extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: readonly GraphQLError[],
    /** Headers of the answer (`retry-after`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

type Limits = GatewayConfig['limits'];

/**
 * graphql-armor's validation rules, one armor per protection so each rejection maps to its own
 * stable code. Its cost limit is not used: it does not multiply by list sizes (see cost.ts).
 */
function armorRules(limits: Limits): { code: string; rules: ValidationRule[] }[] {
  const off = { enabled: false };
  const base = {
    blockFieldSuggestion: off,
    costLimit: off,
    maxAliases: off,
    maxDepth: off,
    maxDirectives: off,
    maxTokens: off,
  };
  const one = (cfg: object) => new ApolloArmor({ ...base, ...cfg }).protect().validationRules;
  return [
    {
      code: 'DEPTH_LIMIT_EXCEEDED',
      rules: one({ maxDepth: { n: limits.maxDepth, flattenFragments: true } }),
    },
    { code: 'ALIAS_LIMIT_EXCEEDED', rules: one({ maxAliases: { n: limits.maxAliases } }) },
    {
      code: 'DIRECTIVE_LIMIT_EXCEEDED',
      rules: one({ maxDirectives: { n: limits.maxDirectives } }),
    },
  ];
}

/** Removes "Did you mean …?" hints, which reveal schema names to callers without introspection. */
export function stripSuggestions(message: string): string {
  return message.replace(/\s*Did you mean .*\?$/s, '');
}

/**
 * The specification's rules, aliases starting with `__` and the variable names of the engines'
 * entity fetches refused (reserved-alias.ts).
 */
const VALIDATION_RULES = [...specifiedRules, ReservedAliasRule, ReservedVariableRule];

export function createLimits(limits: Limits) {
  const armor = armorRules(limits);

  /** Parses with a token budget; a syntax error is the caller's fault (400), never a 500. */
  function parseDocument(query: string): DocumentNode {
    try {
      return parse(query, { maxTokens: limits.maxTokens || undefined, noLocation: false });
    } catch (err) {
      const message = err instanceof GraphQLError ? err.message : 'Syntax error.';
      if (/tokens/.test(message) && /Parsing aborted/.test(message)) {
        throw new RequestRejection(
          400,
          'TOKEN_LIMIT_EXCEEDED',
          'The document has too many tokens.',
        );
      }
      throw new RequestRejection(400, 'GRAPHQL_PARSE_FAILED', message);
    }
  }

  /**
   * Spec validation plus the armor limits; throws a RequestRejection with the first code hit.
   * Depends only on the schema and the document (callers cache it per document).
   */
  function validateDocument(schema: GraphQLSchema, doc: DocumentNode, suggestions: boolean): void {
    // First, before anything that expands fragments (depth rule, authorization rewrite,
    // printing, cost): a few hundred bytes of nested spreads expand to billions of fields.
    if (limits.maxExpandedSelections > 0) {
      const n = expandedSelections(doc);
      if (n > limits.maxExpandedSelections) {
        throw new RequestRejection(
          400,
          'SELECTION_LIMIT_EXCEEDED',
          `The operation selects ${n >= Number.MAX_SAFE_INTEGER ? 'too many' : n} fields once its fragments are expanded; the limit is ${limits.maxExpandedSelections}.`,
        );
      }
    }
    for (const { code, rules } of armor) {
      if (rules.length === 0) continue;
      const errors = validate(schema, doc, rules);
      if (errors.length) throw new RequestRejection(400, code, errors[0].message);
    }
    const errors = validate(schema, doc, VALIDATION_RULES, { maxErrors: 20 });
    if (errors.length) {
      const shown = errors.map((e) =>
        suggestions ? e : new GraphQLError(stripSuggestions(e.message), { nodes: e.nodes }),
      );
      throw new RequestRejection(400, 'GRAPHQL_VALIDATION_FAILED', shown[0].message, shown);
    }
  }

  /**
   * The cost limit: depends on the variables (list sizes), so it runs on every request, after
   * `validateDocument` has bounded the expanded size of the document.
   */
  function checkCost(
    schema: GraphQLSchema,
    model: CostModel,
    doc: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown> | undefined,
  ): void {
    if (limits.maxCost > 0) {
      let cost: number;
      try {
        cost = costOf(schema, model, doc, operationName, variables ?? {}, limits.defaultListSize);
      } catch (err) {
        if (err instanceof VariableValuesError) {
          // As execution words it, cut: graphql-js quotes the whole value in its message.
          const message = err.message.length > 500 ? `${err.message.slice(0, 500)}…` : err.message;
          throw new RequestRejection(400, 'BAD_USER_INPUT', message);
        }
        if (!(err instanceof SlicingArgumentError)) throw err;
        throw new RequestRejection(400, 'SLICING_ARGUMENT_REQUIRED', err.message);
      }
      if (cost > limits.maxCost) {
        throw new RequestRejection(
          400,
          'COST_LIMIT_EXCEEDED',
          `The operation's estimated cost ${cost} is over the limit of ${limits.maxCost}.`,
        );
      }
    }
  }

  /** Validation, limits and cost in one call. */
  function check(
    schema: GraphQLSchema,
    model: CostModel,
    doc: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown> | undefined,
    suggestions: boolean,
  ): void {
    validateDocument(schema, doc, suggestions);
    checkCost(schema, model, doc, operationName, variables);
  }

  return { parseDocument, validateDocument, checkCost, check };
}

/**
 * The number of field selections of the document's largest operation once its named fragments
 * are expanded — counted, not expanded: each fragment's count is computed once and reused at
 * every spread, so the work is linear in the document's size even when the expansion is
 * exponential (`fragment F2 { ...F1 ...F1 }`, `F3 { ...F2 ...F2 }` …). Unknown fragments count 0
 * and a cycle stops counting (validation refuses both).
 */
export function expandedSelections(doc: DocumentNode): number {
  const fragments = fragmentsOf(doc);
  const memo = new Map<string, number>();
  const fragmentCount = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const frag = fragments.get(name);
    if (!frag) return 0;
    memo.set(name, 0); // in progress: a cyclic spread adds nothing
    const n = count(frag.selectionSet);
    memo.set(name, n);
    return n;
  };
  const count = (set: SelectionSetNode): number => {
    let n = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) n += 1 + (sel.selectionSet ? count(sel.selectionSet) : 0);
      else if (sel.kind === Kind.INLINE_FRAGMENT) n += count(sel.selectionSet);
      else n += fragmentCount(sel.name.value);
      // Saturate: the count of a bomb would overflow to Infinity long after it matters.
      if (n > Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
    }
    return n;
  };
  let largest = 0;
  for (const d of doc.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) largest = Math.max(largest, count(d.selectionSet));
  }
  return largest;
}
