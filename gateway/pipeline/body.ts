import { readBody } from '../http.js';
import { RequestRejection } from '../operations/limits.js';
import type { RequestStage } from './types.js';

function parseJsonParam(value: string | null, name: string): unknown {
  if (value === null || value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new RequestRejection(400, 'BAD_REQUEST', `\`${name}\` is not valid JSON.`);
  }
}

/**
 * Stage 4: the request's operation(s). A POST body is read up to MAX_BODY_BYTES (over it,
 * `readBody` throws `BodyTooLargeError`: 413) and parsed as JSON; a GET's are its parameters.
 */
export const body: RequestStage = async (state, deps) => {
  if (state.internal) state.raw = state.internal.body;
  else if (state.method === 'POST') {
    const text = await readBody(state.req, deps.config.limits.maxBodyBytes);
    try {
      state.raw = JSON.parse(text);
    } catch {
      throw new RequestRejection(400, 'BAD_REQUEST', 'Malformed JSON body.');
    }
  } else {
    const params = new URL(state.req.url ?? '/', 'http://gateway').searchParams;
    state.raw = {
      query: params.get('query') ?? undefined,
      operationName: params.get('operationName') ?? undefined,
      variables: parseJsonParam(params.get('variables'), 'variables'),
      extensions: parseJsonParam(params.get('extensions'), 'extensions'),
    };
  }
  return undefined;
};
