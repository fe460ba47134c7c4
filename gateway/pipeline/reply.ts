import Negotiator from 'negotiator';
import type { Identity } from '../context.js';
import { AuthError } from '../auth/auth.js';
import { errorBody } from '../http.js';
import { RequestRejection, stripSuggestions } from '../operations/limits.js';

/** What the HTTP layer sends back. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const json = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Reply => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

/**
 * A shared HTTP cache must not hand an answer computed for one caller's credentials to another:
 * answers to authenticated callers are marked private.
 */
export function forCaller(cacheControl: string, identity: Identity): string {
  return identity.authenticated ? cacheControl.replace(/\bpublic\b/, 'private') : cacheControl;
}

/** A rejection as the caller sees it: 401 with its challenge, or the rejection's own status. */
export function rejectionReply(err: unknown): Reply | undefined {
  if (err instanceof AuthError) {
    return json(401, errorBody(err.message, err.code), {
      'www-authenticate': 'Bearer, ApiKey header="x-api-key"',
    });
  }
  if (err instanceof RequestRejection) {
    const errors = err.errors?.length
      ? err.errors.map((e) => ({
          message: e.message,
          locations: e.locations,
          extensions: { code: err.code },
        }))
      : errorBody(err.message, err.code).errors;
    return json(err.status, { errors }, err.headers);
  }
  return undefined;
}

/**
 * "Did you mean …?" hints name schema members; callers without introspection never see them, in
 * any error (validation, variable coercion: enum values, input fields, whatever produced it).
 */
export function withoutSuggestions(reply: Reply): Reply {
  if (!reply.body.includes('Did you mean')) return reply;
  const parsed = JSON.parse(reply.body) as unknown;
  for (const result of Array.isArray(parsed) ? parsed : [parsed]) {
    const errors = (result as { errors?: { message?: unknown }[] } | null)?.errors;
    if (!Array.isArray(errors)) continue;
    for (const e of errors)
      if (typeof e?.message === 'string') e.message = stripSuggestions(e.message);
  }
  return { ...reply, body: JSON.stringify(parsed) };
}

const JSON_TYPE = 'application/json';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json';

/**
 * The media type of an answer at /graphql, from the caller's Accept (GraphQL over HTTP):
 * `application/graphql-response+json` where the caller prefers it, else `application/json`, as
 * Apollo Server negotiates its own answers; every answer, refusals and cached ones too, is then
 * sent in it. No Accept, or one naming neither, is `application/json`.
 */
export function answerMediaType(accept: string | string[] | undefined): string {
  if (!accept) return JSON_TYPE;
  const preferred = new Negotiator({ headers: { accept: String(accept) } }).mediaType([
    JSON_TYPE,
    GRAPHQL_RESPONSE_TYPE,
  ]);
  return preferred ?? JSON_TYPE;
}

/** A JSON reply sent as `type`, saying that the type follows Accept. */
export function inMediaType(reply: Reply, type: string): Reply {
  const headers: Record<string, string> = { ...reply.headers, vary: 'Accept' };
  const current = headers['content-type'] ?? '';
  if (/^application\/(graphql-response\+)?json\b/.test(current) && !current.startsWith(type))
    headers['content-type'] = `${type}; charset=utf-8`;
  return { ...reply, headers };
}
