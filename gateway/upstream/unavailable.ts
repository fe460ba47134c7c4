import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, parse, type DocumentNode, type FieldNode, type SelectionNode } from 'graphql';

/** A cache hint as Apollo Server's cache policy takes it. */
export interface CacheHint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}

export const UNAVAILABLE_MESSAGE = 'A part of the graph is unavailable right now.';

/**
 * A mutation fetch the subgraph did not answer (a timeout, a lost connection, an answer that is
 * not one): the subgraph may have committed it, or may still. The caller must not read "failed".
 */
export const WRITE_UNKNOWN_MESSAGE =
  'No usable answer came for this write: it may or may not have been applied. Retry with ' +
  'the same Idempotency-Key and the same body, which answers the first result if it was.';
/** A mutation fetch that never reached its subgraph (no connection to it, its breaker open). */
export const WRITE_NOT_SENT_MESSAGE =
  'The subgraph could not be reached: this write was not sent, and nothing was written. Send ' +
  'it again later (with the same Idempotency-Key, if it had one).';
export const WRITE_UNKNOWN_NO_KEY_MESSAGE =
  'No usable answer came for this write: it may or may not have been applied. It was sent ' +
  'without an Idempotency-Key, so sending it again may apply it twice: check before writing ' +
  'again, and send a key with every write.';

/**
 * A GraphQL response carrying one SUBGRAPH_UNAVAILABLE error per field this fetch was to
 * provide: the gateway maps `_entities` indexes and root fields to response paths, so each
 * affected field gets its error and the rest of the response is kept. Every one: a field left
 * null without its error would read as "no data" (their number is bounded by the entities the
 * operation's cost allowed; the errors were once capped at 100, and the 101st entity's field
 * came back null with no error). `only`: the entities' fields to give one, by field name (not
 * by response key: a planner keeps a client's alias, `a16: childrenByIndex`).
 */
export function unavailable(
  options: Extract<GraphQLDataSourceProcessOptions, { incomingRequestContext: unknown }>,
  message = UNAVAILABLE_MESSAGE,
  only: (fieldName: string) => boolean = () => true,
): GatewayGraphQLResponse {
  const err = (path?: (string | number)[]) => ({
    message,
    ...(path ? { path } : {}),
    extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
  });
  let doc: DocumentNode;
  try {
    doc = options.document ?? parse(options.request.query ?? '');
  } catch {
    return { errors: [err()] };
  }
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const roots = (op?.selectionSet.selections ?? []).filter(
    (s): s is FieldNode => s.kind === Kind.FIELD,
  );
  const errors: ReturnType<typeof err>[] = [];
  const variables = options.request.variables ?? {};
  for (const root of roots) {
    const key = root.alias?.value ?? root.name.value;
    // A root `__typename` is the root type's name, whichever subgraph was asked for it: no error.
    if (root.name.value === '__typename') continue;
    // An entity fetch: one error per entity and field, at `[<root key>, index, field]`, which
    // both engines map to the entity's response path. The Rust runtime batches several entity
    // fetches into one request as aliased roots (`_e0: _entities(representations: $r0)`).
    const argument = root.arguments?.find((a) => a.name.value === 'representations');
    const reps =
      root.name.value !== '_entities'
        ? undefined
        : argument?.value.kind === Kind.VARIABLE
          ? variables[argument.value.name.value]
          : undefined;
    if (!Array.isArray(reps)) {
      errors.push(err([key]));
      continue;
    }
    // The fields asked of each type, from every fragment on it: a planner may split them over
    // several (`... on Region @include(if: $c) { commerceIndexInput { … } } ... on Region {
    // commerce { … } }`), and each field needs its error.
    const fieldsOf = new Map<string, Set<string>>();
    const collect = (selections: readonly SelectionNode[], type: string | undefined) => {
      for (const s of selections) {
        if (s.kind === Kind.INLINE_FRAGMENT) {
          collect(s.selectionSet.selections, s.typeCondition?.name.value ?? type);
        } else if (s.kind === Kind.FIELD && type && s.name.value !== '__typename') {
          if (!only(s.name.value)) continue;
          const names = fieldsOf.get(type) ?? new Set<string>();
          names.add(s.alias?.value ?? s.name.value);
          fieldsOf.set(type, names);
        }
      }
    };
    collect(root.selectionSet?.selections ?? [], undefined);
    reps.forEach((rep: { __typename?: string } | null, i: number) => {
      for (const f of fieldsOf.get(rep?.__typename ?? '') ?? []) {
        errors.push(err([key, i, f]));
      }
    });
  }
  return { errors: errors.length ? errors : [err()] };
}

/**
 * A subgraph's answer with a SUBGRAPH_UNAVAILABLE error at each field of an entity it answered
 * null without an error on it (`_entities: [null]`) that a `@requires` names or that carries one
 * (`required`: the index inputs, `ruralVillageCount`, `children`, `digitalIndex`, …). Both engines
 * leave such fields null with no error, and a `digitalIndex` or ranking computed from them then
 * read as "no figures". Any other field of a null entity stays null without an error, as in Apollo
 * Router: a reference to something its subgraph does not hold (an assistance point's auditorium
 * removed from culture) is a null to show, which `npm run check:references` reports.
 */
export function withNullEntityErrors(
  options: Extract<GraphQLDataSourceProcessOptions, { incomingRequestContext: unknown }>,
  result: GatewayGraphQLResponse,
  required: ReadonlySet<string>,
): GatewayGraphQLResponse {
  const data = result.data as Record<string, unknown> | null | undefined;
  if (!data || typeof data !== 'object') return result;
  const nulls = new Set<string>();
  for (const [key, items] of Object.entries(data)) {
    if (!Array.isArray(items) || !/^(_entities|_e\d+)$/.test(key)) continue;
    items.forEach((item, i) => item === null && nulls.add(JSON.stringify([key, i])));
  }
  if (nulls.size === 0) return result;
  // An error above an entity (the whole fetch) or at it covers all its fields; one at or below
  // a field, that field only (an error the subgraph gave beside data it then lost).
  const covered = new Set<string>();
  for (const e of result.errors ?? []) {
    const path = e.path ?? [];
    if (path.length < 2) return result;
    if (path.length === 2) nulls.delete(JSON.stringify(path));
    else covered.add(JSON.stringify(path.slice(0, 3)));
  }
  const fields = unavailable(options, UNAVAILABLE_MESSAGE, (name) => required.has(name));
  const added = (fields.errors ?? []).filter(
    (e) =>
      e.path?.length === 3 &&
      nulls.has(JSON.stringify(e.path.slice(0, 2))) &&
      !covered.has(JSON.stringify(e.path)),
  );
  return added.length ? { ...result, errors: [...(result.errors ?? []), ...added] } : result;
}

/**
 * A subgraph's answer with no data and only errors that name no field (a request it could not
 * run: no database connection in time, a write refused as a whole) with those errors at the
 * path of each field the fetch was to provide, as `unavailable` places its own: the engines
 * would otherwise leave every such field null with no error on its path. Their messages and
 * codes are the subgraph's (a write's says whether anything was written).
 */
export function placeRequestErrors(
  options: Extract<GraphQLDataSourceProcessOptions, { incomingRequestContext: unknown }>,
  result: GatewayGraphQLResponse,
): GatewayGraphQLResponse {
  const errors = result.errors;
  if (result.data != null || !errors?.length || errors.some((e) => e.path)) return result;
  const paths = (unavailable(options).errors ?? []).flatMap((e) => (e.path ? [e.path] : []));
  if (paths.length === 0) return result;
  return { ...result, errors: paths.flatMap((path) => errors.map((e) => ({ ...e, path }))) };
}

/**
 * A subgraph's `Cache-Control` header as a cache hint, read the way @apollo/gateway's own data
 * source reads it: no header or no `max-age` means not cacheable (maxAge 0).
 */
export function cacheHintOf(header: string | string[] | undefined): CacheHint {
  const hint: CacheHint = { maxAge: 0 };
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return hint;
  for (const part of value.split(',')) {
    const [name, arg] = part.trim().toLowerCase().split('=');
    if (name === 'max-age' && arg && /^[0-9]+$/.test(arg)) hint.maxAge = Number(arg);
    else if (name === 'private') hint.scope = 'PRIVATE';
    else if (name === 'public') hint.scope = 'PUBLIC';
  }
  return hint;
}
