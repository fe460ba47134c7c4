import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import type { GatewayConfig } from './config.js';

/** A request refused before execution: HTTP status and a stable code. */
export class RequestRejection extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: readonly GraphQLError[],
  ) {
    super(message);
  }
}

type Limits = GatewayConfig['limits'];

/**
 * graphql-armor's validation rules, one armor per protection so each rejection maps to its own
 * stable code. Its cost limit is not used: it does not multiply by list sizes (see `costOf`).
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
    for (const { code, rules } of armor) {
      if (rules.length === 0) continue;
      const errors = validate(schema, doc, rules);
      if (errors.length) throw new RequestRejection(400, code, errors[0].message);
    }
    const errors = validate(schema, doc, specifiedRules, { maxErrors: 20 });
    if (errors.length) {
      const shown = errors.map((e) =>
        suggestions ? e : new GraphQLError(stripSuggestions(e.message), { nodes: e.nodes }),
      );
      throw new RequestRejection(400, 'GRAPHQL_VALIDATION_FAILED', shown[0].message, shown);
    }
  }

  /** The cost limit: depends on the variables (list sizes), so it runs on every request. */
  function checkCost(
    schema: GraphQLSchema,
    doc: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown> | undefined,
  ): void {
    if (limits.maxCost > 0) {
      const cost = costOf(schema, doc, operationName, variables ?? {}, limits.defaultListSize);
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
    doc: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown> | undefined,
    suggestions: boolean,
  ): void {
    validateDocument(schema, doc, suggestions);
    checkCost(schema, doc, operationName, variables);
  }

  return { parseDocument, validateDocument, checkCost, check };
}

const SIZE_ARGS = new Set(['first', 'last', 'limit']);

function intArg(
  value: ValueNode | undefined,
  variables: Record<string, unknown>,
): number | undefined {
  if (!value) return undefined;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const v = variables[value.name.value];
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  }
  return undefined;
}

/**
 * Estimated cost of an operation: every field costs 1, and the cost of what is selected under a
 * list is multiplied by its size — `first`/`last`/`limit` when given, else `defaultListSize`.
 * So `villages(first: 100) { edges { node { … } } }` costs about 100× its node selection.
 */
export function costOf(
  schema: GraphQLSchema,
  doc: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  defaultListSize: number,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const ops: OperationDefinitionNode[] = [];
  for (const d of doc.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    if (d.kind === Kind.OPERATION_DEFINITION) ops.push(d);
  }
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
  const root = op && schema.getRootType(op.operation);
  if (!op || !root) return 0;
  // Bounded: a cyclic or huge fragment graph is already refused by validation and depth limits.
  const cost = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    depth: number,
    inConnection = false,
  ): number => {
    if (depth > 64) return Number.POSITIVE_INFINITY;
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue;
        const def =
          isObjectType(parent) || isInterfaceType(parent)
            ? parent.getFields()[sel.name.value]
            : undefined;
        if (!def) continue;
        const named = getNamedType(def.type);
        const isList = isListType(getNullableType(def.type));
        const sizeArg = sel.arguments?.find((a) => SIZE_ARGS.has(a.name.value));
        const size = intArg(sizeArg?.value, variables);
        // A connection (`first` on a non-list) scales its `edges`/`nodes` lists by `first`.
        const connection = Boolean(sizeArg) && !isList;
        let factor = 1;
        if (sizeArg) factor = size ?? defaultListSize;
        else if (isList && !inConnection) factor = defaultListSize;
        let children = 0;
        if (sel.selectionSet && isCompositeType(named)) {
          children = cost(sel.selectionSet, named, depth + 1, connection);
        }
        total += 1 + Math.max(0, factor) * children;
      } else {
        const inner = sel.kind === Kind.INLINE_FRAGMENT ? sel : fragments.get(sel.name.value);
        if (!inner) continue;
        const tc = inner.typeCondition ? schema.getType(inner.typeCondition.name.value) : parent;
        if (tc && isCompositeType(tc))
          total += cost(inner.selectionSet, tc, depth + 1, inConnection);
      }
    }
    return total;
  };
  return cost(op.selectionSet, root, 0);
}
