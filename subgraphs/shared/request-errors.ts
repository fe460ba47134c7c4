import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { maskError, retryableDatabaseError } from './errors.js';
import type { Logger } from './logger.js';

const REQUEST_ID = Symbol('requestId');
const SAVED = Symbol('saved');

/**
 * Notes that the write of the mutation field `info` belongs to committed (write-once.ts): an
 * error under that field afterwards (reading what it returns) must not say nothing was written.
 * The set is shared by the shallow copies Apollo Server makes of the context value.
 */
export function noteWriteSaved(context: object, info: { path: { prev?: unknown; key: unknown } }) {
  const saved = (context as Record<symbol, Set<unknown> | undefined>)[SAVED];
  if (!saved) return;
  let path = info.path;
  while (path.prev) path = path.prev as typeof path;
  saved.add(path.key);
}

/**
 * Which request an error came from, for Apollo Server's `formatError` (which is given no
 * context): the masked error carries the request id for the caller to quote, and the log line
 * with the original error carries it too.
 *
 * Without AsyncLocalStorage on purpose. Any `AsyncLocalStorage.run` turns on Node's promise hooks
 * for the whole process, and from then on every promise of every request pays for them (about
 * 5–10 % of a one-village fetch's CPU, measured with bench:subgraphs; bench/notes.md). Instead,
 * the request's context value carries its id under a symbol when it is built (`bind`; Apollo
 * Server hands the listeners a shallow copy of it, which keeps the symbol), and Apollo Server
 * hands `didEncounterErrors` the same error objects it then gives `formatError`.
 */
/**
 * Unexpected errors logged one by one per request, with their stack; the rest are counted and
 * logged as one line when the request ends. One failure (a database down) fails every entity of
 * a batch: a fetch of 20,000 villages would otherwise log 20,000 stack traces.
 */
export const MAX_LOGGED_ERRORS = 10;

export function requestErrors(logger: Logger) {
  const errors = new WeakMap<object, string>();
  /** Errors under a mutation field whose write had committed (noteWriteSaved). */
  const afterSave = new WeakSet<object>();
  /** Errors of mutations: their database errors speak of what was written, a read's do not. */
  const ofWrite = new WeakSet<object>();
  /** Unexpected errors masked so far, per request id, until the request ends. */
  const masked = new Map<string, number>();
  const note = (list: readonly unknown[] | undefined, requestId: string | undefined) => {
    if (requestId === undefined || !list) return;
    for (const error of list) if (typeof error === 'object' && error) errors.set(error, requestId);
  };
  const requestIdOf = (error: unknown): string | undefined => {
    if (typeof error !== 'object' || !error) return undefined;
    // A context that failed to build reaches formatError wrapped, as `originalError`.
    const original = (error as { originalError?: unknown }).originalError;
    return (
      errors.get(error) ??
      (typeof original === 'object' && original ? errors.get(original) : undefined)
    );
  };
  // One listener for every request: the request is found from the context value it is given.
  const idOf = (context: BaseContext) =>
    (context as Record<symbol, string | undefined>)[REQUEST_ID];
  const listener: GraphQLRequestListener<BaseContext> = {
    didEncounterErrors: async (rc) => {
      note(rc.errors, idOf(rc.contextValue));
      if (rc.operation?.operation === 'mutation') for (const e of rc.errors) ofWrite.add(e);
      const saved = (rc.contextValue as Record<symbol, Set<unknown> | undefined>)[SAVED];
      if (!saved?.size) return;
      for (const e of rc.errors) if (e.path && saved.has(e.path[0])) afterSave.add(e);
    },
    didEncounterSubsequentErrors: async (rc, list) => note(list, idOf(rc.contextValue)),
    willSendResponse: async (rc) => {
      const requestId = idOf(rc.contextValue);
      const n = requestId === undefined ? undefined : masked.get(requestId);
      if (n === undefined) return;
      masked.delete(requestId!);
      if (n > MAX_LOGGED_ERRORS) {
        logger.error(
          { requestId, unexpected: n, logged: MAX_LOGGED_ERRORS },
          'more unexpected resolver errors in this request than are logged one by one',
        );
      }
    },
  };
  /** Whether this request's next unexpected error is logged in full. */
  const logOne = (requestId: string | undefined): boolean => {
    if (requestId === undefined) return true;
    // Entries end with their request; a bound in case one never does (its answer was not sent).
    if (masked.size > 10_000) masked.clear();
    const n = (masked.get(requestId) ?? 0) + 1;
    masked.set(requestId, n);
    return n <= MAX_LOGGED_ERRORS;
  };
  return {
    /** Ties a request's context value to its id; returns the context. */
    bind<T extends object>(context: T, requestId: string): T {
      (context as Record<symbol, string>)[REQUEST_ID] = requestId;
      (context as Record<symbol, Set<unknown>>)[SAVED] = new Set();
      return context;
    },
    /** Ties an error thrown before the request had a context (building it failed). */
    noteError(error: unknown, requestId: string): void {
      note([error], requestId);
    },
    plugin: { requestDidStart: async () => listener } as ApolloServerPlugin<BaseContext>,
    /** Apollo Server's `formatError`: masks what is not client-safe, and logs what it masked. */
    formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
      const requestId = requestIdOf(error);
      const known = typeof error === 'object' && error !== null;
      const busy = retryableDatabaseError(formatted, error, {
        write: known && ofWrite.has(error),
        saved: known && afterSave.has(error),
      });
      if (busy) {
        logger.warn(
          { err: error, path: formatted.path, requestId },
          'database busy or unreachable',
        );
        return busy;
      }
      const { error: out, masked: wasMasked } = maskError(formatted, requestId);
      if (wasMasked && logOne(requestId))
        logger.error({ err: error, path: formatted.path, requestId }, 'unexpected resolver error');
      return out;
    },
  };
}
