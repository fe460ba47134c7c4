import {
  Kind,
  print,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Identity } from '../context.js';
import type { AuthDirectives } from './directives.js';
import { fragmentsOf } from '../operations/fragments.js';

export { AuthDirectives } from './directives.js';

export interface Denied {
  /** Response path (aliases) of the field the caller may not see. */
  path: string[];
  message: string;
}

export interface NullTarget {
  path: string[];
  /** Set when the parent is abstract: only objects of this __typename are nulled. */
  onType?: string;
}

export interface AuthorizedOperation {
  /** The operation to execute, or undefined when nothing of it may run. */
  document: DocumentNode | undefined;
  changed: boolean;
  denied: Denied[];
  /** Where the response gets `null` for removed fields (nearest nullable position). */
  nullTargets: NullTarget[];
  /** Removing a non-null root field nulls the whole `data`. */
  nullData: boolean;
  operation: OperationDefinitionNode['operation'];
  operationName: string | undefined;
  /** Coordinates (`Type.field`) of sensitive fields the operation touches, for the audit log. */
  sensitive: string[];
  introspection: boolean;
}

interface WalkResult {
  selections: SelectionNode[];
  /** A non-null field in here was removed: the owner of this selection set becomes null. */
  propagate: boolean;
  targets: NullTarget[];
}

/**
 * Removes the fields the caller may not see before the operation is planned (the semantics of
 * Apollo Router's authorization): each removed field gets a FORBIDDEN error at its path and a
 * null in the response (at the nearest nullable ancestor when the field is non-null). Named
 * fragments are inlined so that every removal has a response path.
 */
export function authorizeOperation(
  schema: GraphQLSchema,
  directives: AuthDirectives,
  sensitiveTypes: ReadonlySet<string>,
  doc: DocumentNode,
  operationName: string | undefined,
  who: Identity,
): AuthorizedOperation | undefined {
  const ops = doc.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
  if (!op || (!operationName && ops.length > 1)) return undefined;
  const root = schema.getRootType(op.operation);
  if (!root) return undefined;
  const fragments = fragmentsOf(doc);
  const denied: Denied[] = [];
  const sensitive = new Set<string>();
  let introspection = false;
  let changed = false;
  /** A field was removed: only then is the inlined document needed (for response paths). */
  let pruned = false;

  const walk = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    path: string[],
    seen: ReadonlySet<string>,
  ): WalkResult => {
    const out: WalkResult = { selections: [], propagate: false, targets: [] };
    const onType = isAbstractType(parent) ? undefined : parent.name;
    // The same fragment spread twice in one selection set (same directives) selects the same
    // fields: inlined once. Otherwise `...F ...F` nested ten deep inlines into 1,024 copies,
    // which validation gives up on ("Validation aborted.") though the document sent was valid.
    const spreads = new Set<string>();
    for (const sel of set.selections) {
      if (sel.kind === Kind.FRAGMENT_SPREAD || sel.kind === Kind.INLINE_FRAGMENT) {
        let inner: SelectionSetNode;
        let typeName: string | undefined;
        if (sel.kind === Kind.FRAGMENT_SPREAD) {
          const frag = fragments.get(sel.name.value);
          if (!frag || seen.has(sel.name.value)) {
            out.selections.push(sel); // validation reports unknown or cyclic fragments
            continue;
          }
          const spread = print(sel);
          if (spreads.has(spread)) {
            changed = true;
            continue;
          }
          spreads.add(spread);
          inner = frag.selectionSet;
          typeName = frag.typeCondition.name.value;
          changed = true; // inlined
        } else {
          inner = sel.selectionSet;
          typeName = sel.typeCondition?.name.value;
        }
        const t = typeName ? schema.getType(typeName) : parent;
        if (!t || !isCompositeType(t)) {
          out.selections.push(sel);
          continue;
        }
        const nextSeen =
          sel.kind === Kind.FRAGMENT_SPREAD ? new Set([...seen, sel.name.value]) : seen;
        const r = walk(inner, t, path, nextSeen);
        out.propagate ||= r.propagate;
        out.targets.push(...r.targets);
        if (r.selections.length > 0) {
          out.selections.push({
            kind: Kind.INLINE_FRAGMENT,
            typeCondition: typeName
              ? { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: typeName } }
              : undefined,
            directives: sel.directives,
            selectionSet: { kind: Kind.SELECTION_SET, selections: r.selections },
          });
        }
        continue;
      }
      const name = sel.name.value;
      if (name.startsWith('__')) {
        if (name === '__schema' || name === '__type') introspection = true;
        out.selections.push(sel);
        continue;
      }
      const fieldDef =
        isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
      if (!fieldDef) {
        out.selections.push(sel); // unknown: validation reports it
        continue;
      }
      const key = sel.alias?.value ?? name;
      const p = [...path, key];
      const coordinate = `${parent.name}.${name}`;
      const named = getNamedType(fieldDef.type);
      const fieldReq = directives.fields.get(coordinate);
      const typeReq = directives.types.get(named.name);
      if (fieldReq || typeReq || sensitiveTypes.has(parent.name) || parent === root) {
        sensitive.add(coordinate);
      }
      const why = directives.check(fieldReq, who) ?? directives.check(typeReq, who);
      let removed = false;
      let childTargets: NullTarget[] = [];
      let selectionSet = sel.selectionSet;
      if (why) {
        removed = true;
        denied.push({
          path: p,
          message:
            why === 'unauthenticated'
              ? `Authentication is required to see \`${coordinate}\`.`
              : `\`${coordinate}\` needs the scope ${why.map((s) => `\`${s}\``).join(' or ')}.`,
        });
      } else if (sel.selectionSet && isCompositeType(named)) {
        const r = walk(sel.selectionSet, named, p, seen);
        if (r.propagate || r.selections.length === 0) removed = true;
        selectionSet = { kind: Kind.SELECTION_SET, selections: r.selections };
        childTargets = r.targets;
      }
      if (removed) {
        changed = true;
        pruned = true;
        if (isNonNullType(fieldDef.type)) out.propagate = true;
        else out.targets.push({ path: p, onType });
        continue;
      }
      out.targets.push(...childTargets);
      out.selections.push({ ...sel, selectionSet });
    }
    return out;
  };

  const r = walk(op.selectionSet, root, [], new Set());
  const result: AuthorizedOperation = {
    document: undefined,
    changed,
    denied,
    nullTargets: r.propagate ? [] : r.targets,
    nullData: r.propagate,
    operation: op.operation,
    operationName: op.name?.value,
    sensitive: [...sensitive],
    introspection,
  };
  if (!pruned) {
    // Nothing removed: the document runs as sent, its fragments not inlined. Inlining would
    // only cost: printing, and validation by Apollo Server that is quadratic in the fields
    // merged into one selection set (`...F ...F` a few levels deep is thousands of them).
    result.document = doc;
    result.changed = false;
    return result;
  }
  if (r.propagate || r.selections.length === 0) return result;
  const operation: OperationDefinitionNode = {
    ...op,
    selectionSet: { kind: Kind.SELECTION_SET, selections: r.selections },
  };
  // Variables only the removed fields used would fail validation as unused: drop them.
  const used = new Set<string>();
  const collect = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(collect);
    const n = node as { kind?: string; name?: { value: string } };
    if (n.kind === Kind.VARIABLE && n.name) used.add(n.name.value);
    for (const [k, v] of Object.entries(node)) if (k !== 'loc') collect(v);
  };
  collect(operation.selectionSet);
  collect(operation.directives);
  result.document = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        ...operation,
        variableDefinitions: op.variableDefinitions?.filter((v) => used.has(v.variable.name.value)),
      },
    ],
  };
  return result;
}

/** Puts `null` at every removed position of the executed response, and the FORBIDDEN errors. */
export function applyDenials(
  body: { data?: Record<string, unknown> | null; errors?: unknown[] },
  auth: AuthorizedOperation,
): void {
  if (auth.nullData) body.data = null;
  else {
    if (!body.data && auth.document === undefined) body.data = {};
    const setNull = (value: unknown, path: string[], onType?: string): void => {
      if (Array.isArray(value)) return value.forEach((v) => setNull(v, path, onType));
      if (!value || typeof value !== 'object') return;
      const obj = value as Record<string, unknown>;
      if (path.length === 1) {
        if (!onType || obj.__typename === undefined || obj.__typename === onType) {
          obj[path[0]] = null;
        }
        return;
      }
      setNull(obj[path[0]], path.slice(1), onType);
    };
    for (const t of auth.nullTargets) if (body.data) setNull(body.data, t.path, t.onType);
  }
  const errors = auth.denied.flatMap((d) => {
    const concrete: (string | number)[][] = [];
    const find = (value: unknown, rest: string[], at: (string | number)[]): void => {
      if (concrete.length >= 100) return;
      if (Array.isArray(value)) return value.forEach((v, i) => find(v, rest, [...at, i]));
      if (!value || typeof value !== 'object') return;
      const obj = value as Record<string, unknown>;
      if (rest.length === 1) {
        if (rest[0] in obj && obj[rest[0]] === null) concrete.push([...at, rest[0]]);
        return;
      }
      find(obj[rest[0]], rest.slice(1), [...at, rest[0]]);
    };
    if (body.data) find(body.data, d.path, []);
    return (concrete.length ? concrete : [d.path]).map((path) => ({
      message: d.message,
      path,
      extensions: { code: 'FORBIDDEN' },
    }));
  });
  body.errors = [...errors, ...(body.errors ?? [])];
}
