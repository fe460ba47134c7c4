import { BodiesBusyError } from '../body-budget.js';
import { BodyNotUtf8Error, readBody, unsupportedBody } from '../http.js';
import { RequestRejection } from '../operations/limits.js';
import { spend } from './quota.js';
import type { RequestStage } from './types.js';

/**
 * How deep a request's JSON may nest arrays and objects, variables included. No input type of
 * the API nests near this; far deeper values overflowed the stack where they were serialised.
 */
export const MAX_JSON_DEPTH = 64;

/** Refuses `value` if it nests deeper than MAX_JSON_DEPTH (without recursion of its own). */
function boundDepth(value: unknown): void {
  const stack: [unknown, number][] = [[value, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, depth] = top;
    if (depth > MAX_JSON_DEPTH) {
      throw new RequestRejection(
        400,
        'BAD_REQUEST',
        `The request nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels.`,
      );
    }
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
}

function parseJsonParam(value: string | null, name: string): unknown {
  if (value === null || value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new RequestRejection(400, 'BAD_REQUEST', `\`${name}\` is not valid JSON.`);
  }
}

/**
 * The request's operation(s). A POST body with a Content-Encoding other than
 * `identity` or a charset other than UTF-8 is refused (415); else it is read up to
 * MAX_BODY_BYTES (over it, `readBody` throws `BodyTooLargeError`: 413; beyond the bytes all
 * bodies may hold at once, `BodiesBusyError`: 429), refused (400) if it is not UTF-8, and parsed as
 * JSON; a GET's are its parameters, as a POST's fields, each given at most once (400: which
 * of two would another reader of the URL take?); a URL whose escapes are not UTF-8 is refused too.
 * Either is refused (400) if it nests deeper than MAX_JSON_DEPTH.
 */
export const body: RequestStage = async (state, deps) => {
  try {
    return await readRequest(state, deps);
  } catch (err) {
    // A request refused for its body counts one unit (admit counts the others once read); one
    // refused unread for the bodies others hold is load shedding, as CONCURRENCY_LIMITED: a
    // retry on that 429 spends no quota.
    if (!(err instanceof BodiesBusyError) && state.identity) await spend(deps, state.identity);
    throw err;
  }
};

const readRequest: RequestStage = async (state, deps) => {
  if (state.internal) state.raw = state.internal.body;
  else if (state.method === 'POST') {
    const unsupported = unsupportedBody(state.req);
    if (unsupported) throw new RequestRejection(415, 'BAD_REQUEST', unsupported);
    const { maxBodyBytes } = deps.config.limits;
    const text = await readBody(state.req, maxBodyBytes, deps.bodies, state.identity?.id).catch(
      (err: unknown) => {
        if (!(err instanceof BodyNotUtf8Error)) throw err;
        throw new RequestRejection(400, 'BAD_REQUEST', err.message);
      },
    );
    try {
      state.raw = JSON.parse(text);
    } catch {
      throw new RequestRejection(400, 'BAD_REQUEST', 'Malformed JSON body.');
    }
  } else {
    const params = new URL(state.req.url ?? '/', 'http://gateway').searchParams;
    const once = (name: string) => {
      const values = params.getAll(name);
      if (values.length > 1)
        throw new RequestRejection(400, 'BAD_REQUEST', `Give \`${name}\` once.`);
      return values[0] ?? null;
    };
    state.raw = {
      query: once('query') ?? undefined,
      operationName: once('operationName') ?? undefined,
      variables: parseJsonParam(once('variables'), 'variables'),
      extensions: parseJsonParam(once('extensions'), 'extensions'),
      documentId: once('documentId') ?? undefined,
    };
  }
  if (!state.internal && state.raw !== null && typeof state.raw === 'object') boundDepth(state.raw);
  return undefined;
};
