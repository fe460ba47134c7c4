import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { CLIENT_SAFE_CODES, ErrorCode } from '../../contract/errors.js';
import { STATEMENT_TIMED_OUT } from './statement-timeout.js';

/** Invalid argument or input field; `field` names the offending argument path. */
export function badUserInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, field } });
}

/**
 * A domain's view of a place its loaded scope does not cover (loaded-scope.ts, `HeldScope`):
 * null with this error, never the zeros of a place without any record.
 */
export function notLoaded(
  message = 'No figures of this kind are loaded for this place: the data behind them was loaded for ' +
    'fewer regions than the list of places. Null, not zero.',
): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.NOT_LOADED } });
}

/**
 * A field computed from another subgraph's data (`@requires`) whose data did not arrive: the
 * field is null with this error, never computed from what is left. Same code and message as
 * the gateway's own outage errors.
 */
export function inputsUnavailable(): GraphQLError {
  return new GraphQLError('A part of the graph is unavailable right now.', {
    extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE },
  });
}

/**
 * A value a field `@requires` of another subgraph, or `inputsUnavailable()`. The gateway sends
 * it whenever it plans the field; a representation without it comes from a fetch that failed
 * before, and a figure computed without it (no rural villages, no children) would be a wrong
 * number with no error.
 */
export function requiredInput<T>(value: T | null | undefined): T {
  if (value === undefined || value === null) throw inputsUnavailable();
  return value;
}

/**
 * PostgreSQL's states for a statement that lost a race it may win when tried again: a lock not
 * granted within lock_timeout (database.ts), a deadlock, a serialization failure. The
 * transaction rolled back, so nothing of it was written.
 */
const RETRYABLE_STATES = new Set(['55P03', '40P01', '40001']);

/**
 * No connection could be had, so no statement ran: knex's pool gave none within its acquire
 * timeout (every connection busy), or SQLite's database stayed locked past its busy timeout.
 */
function isBusy(e: object): boolean {
  const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown };
  // MikroORM rethrows knex's timeout as a DriverException with the same words: under that
  // name it was masked as INTERNAL_SERVER_ERROR (statements sent through the EntityManager).
  const noConnection =
    (name === 'KnexTimeoutError' || name === 'DriverException') &&
    typeof message === 'string' &&
    message.includes('Timeout acquiring a connection');
  // SQLITE_BUSY_SNAPSHOT: in WAL mode, a write after a read of an older snapshot.
  return noConnection || (typeof code === 'string' && code.startsWith('SQLITE_BUSY'));
}

/**
 * The database could not do the work for want of resources, and said so: PostgreSQL's class 53
 * (disk full, out of memory, too many connections, a configured limit), SQLite's disk or memory
 * full. The statement failed and its transaction rolled back: nothing of it was written.
 */
function isShortOfResources(e: object): boolean {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  // SQLITE_IOERR_SHMSIZE: in WAL mode, the index beside the file (-shm) could not grow on a
  // full disk; every statement, reads too, then fails with it before touching the data.
  return (
    /^53[0-9A-Z]{3}$/.test(code) ||
    code === 'SQLITE_FULL' ||
    code === 'SQLITE_NOMEM' ||
    code === 'SQLITE_IOERR_SHMSIZE'
  );
}

/**
 * The connection to the database was lost: SQLSTATE class 08 (connection exception), a server
 * shut down or restarting (57P01 admin_shutdown, also pg_terminate_backend; 57P02, 57P03), a
 * socket that failed, or the pg driver's own words for a connection that ended or never began.
 */
const CONNECTION_STATES = new Set(['57P01', '57P02', '57P03']);
const SOCKET_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);
// "timeout expired": pg gave up on a new connection the server accepted but never answered
// (hung), after DB_ACQUIRE_TIMEOUT_MS (database.ts).
const CONNECTION_ENDED =
  /Connection terminated|Connection ended unexpectedly|connection error and is not queryable|Client was closed and is not queryable|^timeout expired$/;

function isConnectionLoss(e: object): boolean {
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^08[0-9A-Z]{3}$/.test(code) || CONNECTION_STATES.has(code) || SOCKET_ERRORS.has(code)) {
      return true;
    }
  }
  const message = (e as { message?: unknown }).message;
  return typeof message === 'string' && CONNECTION_ENDED.test(message);
}

/**
 * A statement whose answer did not come in time (statement-timeout.ts): PostgreSQL cancelled it
 * (57014, statement_timeout, or an operator's pg_cancel_backend), or the client gave up on a
 * server that did not even cancel it (hung) and closed the connection. Either way its
 * transaction was not committed, unless it was the COMMIT itself that got no answer.
 */
function isStatementTimeout(e: object): boolean {
  const code = (e as { code?: unknown }).code;
  return code === '57014' || code === STATEMENT_TIMED_OUT;
}

/** Errors thrown by a COMMIT: if the connection was lost then, the write may have been kept. */
const duringCommit = new WeakSet<object>();

/** Notes that `error` came from committing a transaction (transaction.ts). */
export function noteCommitError(error: unknown): void {
  if (typeof error === 'object' && error) duringCommit.add(error);
}

const UNAVAILABLE = { code: ErrorCode.SUBGRAPH_UNAVAILABLE };
const RETRY = 'Try again shortly (with the same Idempotency-Key).';
const RETRY_READ = 'Try again shortly.';

/** What the caller's request did: a mutation writes; a saved write failed reading its result. */
export interface RequestKind {
  /** The error belongs to a mutation (its answer speaks of what was written). */
  write?: boolean;
  /** ...after the mutation field's write had committed (noteWriteSaved). */
  saved?: boolean;
}

/**
 * The answer for an error that is such a lost race, a lost connection or a statement that got
 * no answer in time (on the error or what it wraps), else undefined: SUBGRAPH_UNAVAILABLE, which
 * clients already retry. For a write, a message that says nothing was written — except when the
 * connection was lost (or the answer not had) during COMMIT, when the database may have
 * committed: then it says so (the retry with the same Idempotency-Key answers the first result
 * if it was written). A read's message speaks of no write. An unexpected error it is not: it is
 * not masked as one, nor logged as one.
 */
export function retryableDatabaseError(
  formatted: GraphQLFormattedError,
  error: unknown,
  kind: RequestKind = { write: true },
): GraphQLFormattedError | undefined {
  const found = causeOf(error);
  if (!found) return undefined;
  const { cause, atCommit } = found;
  const answer = { path: formatted.path, extensions: UNAVAILABLE };
  if (kind.saved) {
    // After its write committed (reading what the mutation returns): it was written.
    return {
      message:
        'The write was saved, but reading what it returns failed (the database is busy or ' +
        'unreachable). Retry with the same Idempotency-Key, which answers the saved result.',
      ...answer,
    };
  }
  if (!kind.write) return { message: `${READ_CAUSES[cause]} ${RETRY_READ}`, ...answer };
  if (atCommit && (cause === 'lost' || cause === 'timeout')) {
    const what =
      cause === 'lost'
        ? 'The connection to the database was lost'
        : 'The database did not answer in time';
    return {
      message:
        `${what} while this write was being committed: it may or may not have been written. ` +
        'Retry with the same Idempotency-Key, which answers the first result if it was.',
      ...answer,
    };
  }
  return { message: `${WRITE_CAUSES[cause]}; nothing was written. ${RETRY}`, ...answer };
}

type Cause = 'race' | 'busy' | 'resources' | 'lost' | 'timeout';

const WRITE_CAUSES: Record<Cause, string> = {
  race: 'Another write holds the data this one needs',
  busy: 'The database is busy',
  resources: 'The database is out of room or resources',
  lost: 'The connection to the database was lost',
  timeout: 'The database did not answer in time',
};

const READ_CAUSES: Record<Cause, string> = {
  race: 'Another transaction holds the data this read needs.',
  busy: 'The database is busy.',
  resources: 'The database is out of room or resources.',
  lost: 'The connection to the database was lost.',
  timeout: 'The database did not answer in time.',
};

function causeOf(error: unknown): { cause: Cause; atCommit: boolean } | undefined {
  // Anywhere in the chain: the wrapper a driver or GraphQL puts around the COMMIT's error
  // repeats its words ("COMMIT; - Connection terminated unexpectedly") without its mark.
  let atCommit = false;
  for (let e = error, depth = 0; typeof e === 'object' && e && depth < 4; depth++) {
    atCommit ||= duringCommit.has(e);
    e = (e as { originalError?: unknown }).originalError;
  }
  for (let e = error, depth = 0; typeof e === 'object' && e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    const cause: Cause | undefined =
      typeof code === 'string' && RETRYABLE_STATES.has(code)
        ? 'race'
        : isBusy(e)
          ? 'busy'
          : isShortOfResources(e)
            ? 'resources'
            : isStatementTimeout(e)
              ? 'timeout'
              : isConnectionLoss(e)
                ? 'lost'
                : undefined;
    if (cause) return { cause, atCommit };
    e = (e as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/**
 * Masks everything that is not an expected, client-safe error: the client sees a generic
 * INTERNAL_SERVER_ERROR (with the request id to quote), the log keeps the original.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  requestId: string | undefined,
): { error: GraphQLFormattedError; masked: boolean } {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_SAFE_CODES.has(code)) {
    const extensions: Record<string, unknown> = { code };
    if (formatted.extensions?.field !== undefined) extensions.field = formatted.extensions.field;
    return {
      error: {
        message: formatted.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions,
      },
      masked: false,
    };
  }
  return {
    error: {
      message: 'Internal server error',
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(requestId ? { requestId } : {}) },
    },
    masked: true,
  };
}
