import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fragmentsOf } from '../operations/fragments.js';

/**
 * Error paths a client can act on: only response keys of its own operation. Engines report some
 * errors at paths the client never asked for — fields fetched only as the input of a `@requires`
 * (`["region", "children", 3, "cultureIndexInput"]`, often an `@inaccessible` field) or, from a
 * planner's batched fetch, an alias of its own (`["_e0"]`). Such a path is cut back to its
 * longest prefix that is in the operation (the nearest field the client did select); a path
 * whose first key is not a root field of the operation is removed. Errors that become equal
 * (same message, code and path) are reported once.
 */
export function clientErrorPaths(
  errors: readonly GraphQLFormattedError[],
  document: DocumentNode | undefined,
  operationName: string | null | undefined,
): GraphQLFormattedError[] {
  const operation = document?.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!document || !operation) return [...errors];
  const fragments = fragmentsOf(document);
  const walker = new PathWalker(operation.selectionSet, fragments);
  const seen = new Set<string>();
  const out: GraphQLFormattedError[] = [];
  for (const error of errors) {
    let path = error.path;
    if (path) {
      const kept = walker.prefix(path);
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
  return out;
}

/** Walks response paths through an operation's selections, fragments included (memoised). */
class PathWalker {
  private readonly children = new Map<string, SelectionSetNode[] | null>();

  constructor(
    private readonly root: SelectionSetNode,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
  ) {}

  /** The longest prefix of `path` whose keys are response keys of the operation. */
  prefix(path: readonly (string | number)[]): (string | number)[] {
    let sets: SelectionSetNode[] = [this.root];
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
      let next = this.children.get(trail);
      if (next === undefined) {
        next = this.select(sets, segment);
        this.children.set(trail, next);
      }
      if (next === null) break;
      sets = next;
      kept = i + 1;
    }
    return path.slice(0, kept);
  }

  /** The sub-selections of the fields answering `key` in `sets`, or null when none does. */
  private select(sets: SelectionSetNode[], key: string): SelectionSetNode[] | null {
    const found: SelectionSetNode[] = [];
    let matched = false;
    const visited = new Set<string>();
    const visit = (set: SelectionSetNode) => {
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          if ((s.alias?.value ?? s.name.value) !== key) continue;
          matched = true;
          if (s.selectionSet) found.push(s.selectionSet);
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          visit(s.selectionSet);
        } else if (!visited.has(s.name.value)) {
          visited.add(s.name.value);
          const fragment = this.fragments.get(s.name.value);
          if (fragment) visit(fragment.selectionSet);
        }
      }
    };
    for (const set of sets) visit(set);
    return matched ? found : null;
  }
}
