import {
  Kind,
  getVariableValues,
  type DocumentNode,
  type GraphQLSchema,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { fragmentsOf, isIncluded } from '../operations/fragments.js';

/**
 * Error paths a client can act on: only response keys of its own operation. Engines report some
 * errors at paths the client never asked for — fields fetched only as the input of a `@requires`
 * (`["region", "children", 3, "cultureIndexInput"]`, often an `@inaccessible` field) or, from a
 * planner's batched fetch, an alias of its own (`["_e0"]`). Such a path is cut back to its
 * longest prefix that is in the operation (the nearest field the client did select); a path
 * whose first key is not a root field of the operation is removed. Errors that become equal
 * (same message, code and path) are reported once.
 *
 * With the request's (coerced) `variables`, a path through a field that `@skip`/`@include` leave
 * out is about nothing the client receives: @apollo/gateway's planner can fetch such a field's
 * `@requires` inputs under its condition but the field itself without it, and the subgraph's
 * "input missing" error came back at the skipped field's path (generated seed 6060003). Such an
 * error is dropped; were it the only error of an answer whose `data` is null, one is kept
 * without its path (an answer of no data says why).
 */
export function clientErrorPaths(
  errors: readonly GraphQLFormattedError[],
  document: DocumentNode | undefined,
  operationName: string | null | undefined,
  variables?: Record<string, unknown>,
  dataIsNull = false,
): GraphQLFormattedError[] {
  const operation = document?.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!document || !operation) return [...errors];
  const fragments = fragmentsOf(document);
  const included: Included = variables ? (node) => shownBy(node, variables) : () => true;
  const walker = new PathWalker(operation.selectionSet, fragments, included);
  const seen = new Set<string>();
  const out: GraphQLFormattedError[] = [];
  let skipped: GraphQLFormattedError | undefined;
  for (const error of errors) {
    let path = error.path;
    if (path) {
      const kept = walker.prefix(path);
      if (kept === SKIPPED) {
        skipped ??= error;
        continue;
      }
      path = kept.length > 0 ? kept : undefined;
    }
    const identity = JSON.stringify([error.message, error.extensions?.code, path ?? null]);
    if (seen.has(identity)) continue;
    seen.add(identity);
    if (path === error.path) {
      out.push(error);
    } else {
      const { path: _dropped, ...rest } = error;
      out.push(path ? { ...rest, path } : rest);
    }
  }
  if (out.length === 0 && skipped && dataIsNull) {
    // No data and no other error: one of them stays, without its path, so the answer says why.
    const { path: _dropped, ...rest } = skipped;
    out.push(rest);
  }
  return out;
}

type Included = (node: SelectionNode) => boolean;

/** A path through a field the variables leave out. */
const SKIPPED = Symbol('skipped');

/** Whether `@skip`/`@include` show `node`; shown when the variables cannot say. */
function shownBy(node: SelectionNode, variables: Record<string, unknown>): boolean {
  try {
    return isIncluded(node, variables);
  } catch {
    return true;
  }
}

/** The request's variables as execution sees them (defaults applied); undefined if invalid. */
export function variablesOf(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  inputs: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  return getVariableValues(schema, operation.variableDefinitions ?? [], inputs ?? {}).coerced;
}

/** Where a response key leads: whether a shown field answers it, and the sets under it. */
interface Step {
  /** A field answering the key is shown (not left out by `@skip`/`@include`). */
  shownField: boolean;
  shown: SelectionSetNode[];
  /** Sets under fields left out, or inside fragments left out: errors there are about nothing. */
  hidden: SelectionSetNode[];
}

/** Walks response paths through an operation's selections, fragments included (memoised). */
class PathWalker {
  private readonly steps = new Map<string, Step | null>();

  constructor(
    private readonly root: SelectionSetNode,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly included: Included,
  ) {}

  /**
   * The longest prefix of `path` whose keys are response keys of the operation, or SKIPPED when
   * a key of it is answered only by fields that `@skip`/`@include` leave out.
   */
  prefix(path: readonly (string | number)[]): (string | number)[] | typeof SKIPPED {
    let step: Step = { shownField: true, shown: [this.root], hidden: [] };
    let trail = '';
    let kept = 0;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      if (typeof segment === 'number') {
        // A list index: valid under a field the operation selected.
        if (i === 0) break;
        kept = i + 1;
        continue;
      }
      trail += `\u0000${segment}`;
      let next = this.steps.get(trail);
      if (next === undefined) {
        next = this.select(step, segment);
        this.steps.set(trail, next);
      }
      if (next === null) break;
      if (!next.shownField) return SKIPPED;
      step = next;
      kept = i + 1;
    }
    return path.slice(0, kept);
  }

  /** The fields answering `key` under `step`, or null when none does. */
  private select(step: Step, key: string): Step | null {
    const next: Step = { shownField: false, shown: [], hidden: [] };
    let matched = false;
    const visited = new Set<string>();
    const visit = (set: SelectionSetNode, shown: boolean) => {
      for (const s of set.selections) {
        const here = shown && this.included(s);
        if (s.kind === Kind.FIELD) {
          if ((s.alias?.value ?? s.name.value) !== key) continue;
          matched = true;
          if (here) next.shownField = true;
          if (s.selectionSet) (here ? next.shown : next.hidden).push(s.selectionSet);
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          visit(s.selectionSet, here);
        } else {
          // A fragment walked shown is walked once; left out, it may still be shown elsewhere.
          const id = `${here ? '+' : '-'}${s.name.value}`;
          if (visited.has(id)) continue;
          visited.add(id);
          const fragment = this.fragments.get(s.name.value);
          if (fragment) visit(fragment.selectionSet, here);
        }
      }
    };
    for (const set of step.shown) visit(set, true);
    for (const set of step.hidden) visit(set, false);
    return matched ? next : null;
  }
}
