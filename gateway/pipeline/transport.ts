import type { IncomingMessage } from 'node:http';
import { errorBody } from '../http.js';
import { RequestRejection } from '../operations/limits.js';
import { json } from './reply.js';
import type { RequestStage } from './types.js';

/** Content types a browser sends cross-site without a preflight (Apollo's CSRF prevention). */
const SIMPLE_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);
export const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];

/**
 * Apollo Server's CSRF prevention: a request needs a content type a browser cannot send
 * cross-site without a preflight, or a non-empty preflight header.
 */
export function csrfSafe(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (type !== undefined) {
    const essence = type.split(';')[0].trim().toLowerCase();
    if (!SIMPLE_CONTENT_TYPES.has(essence)) return true;
  }
  return PREFLIGHT_HEADERS.some((h) => {
    const v = req.headers[h];
    return typeof v === 'string' && v.length > 0;
  });
}

/**
 * Stage 1, before anything else (a cached answer included): GET or POST only (405), and CSRF
 * prevention (400). An internal request (sent by the gateway itself) is a POST and exempt: the
 * caller sent a plain GET, and a registered query has no effect but its answer.
 */
export const transport: RequestStage = ({ req, method, internal }) => {
  if (method !== 'GET' && method !== 'POST') {
    // BAD_REQUEST, as every 405 of the gateway (CSV, exports, a mutation over GET): docs/errors.md.
    return json(405, errorBody('Use GET or POST.', 'BAD_REQUEST'), {
      allow: 'GET, POST',
    });
  }
  if (!internal && !csrfSafe(req)) {
    throw new RequestRejection(
      400,
      'BAD_REQUEST',
      'This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). ' +
        "Send a 'content-type' other than application/x-www-form-urlencoded, " +
        `multipart/form-data or text/plain, or a non-empty ${PREFLIGHT_HEADERS.join(' or ')} header.`,
    );
  }
  return undefined;
};
