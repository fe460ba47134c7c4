import { HeaderMap } from '@apollo/server';
import { applyDenials } from '../auth/authz.js';
import { errorBody } from '../http.js';
import { idempotencyKeyOf, keyRefusalStatus } from '../operations/idempotency.js';
import { requestFingerprint } from '../operations/request-fingerprint.js';
import { mutationFieldsOf, wroteNothing, type ClaimOutcome } from '../operations/key-claims.js';
import { forCaller, json, type Reply } from './reply.js';
import type { OperationStage, OperationState, RequestContext } from './types.js';
import { need } from './types.js';

/** The request Apollo Server executes: the authorized text, the caller's headers. */
function httpRequest(op: OperationState, text: string) {
  const { operationName, variables } = op;
  const extensions = { ...((op.body?.extensions as Record<string, unknown>) ?? {}) };
  delete extensions.persistedQuery; // resolved by the document stage; Apollo's own APQ is off
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(op.req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  if (op.internal) {
    // A registered operation the gateway itself sends (CSV), as JSON whatever the caller's GET.
    headers.set('content-type', 'application/json');
    headers.set('accept', 'application/json');
  }
  let search = '';
  if (op.method === 'GET') {
    const params = new URLSearchParams({ query: text });
    if (operationName) params.set('operationName', operationName);
    if (variables) params.set('variables', JSON.stringify(variables));
    if (Object.keys(extensions).length) params.set('extensions', JSON.stringify(extensions));
    search = `?${params}`;
  }
  const body =
    op.method === 'POST'
      ? {
          query: text,
          ...(operationName != null ? { operationName } : {}),
          ...(variables != null ? { variables } : {}),
          extensions,
        }
      : undefined;
  return { method: op.method, headers, search, body };
}

/**
 * Operation stage 7, the last: Apollo Server runs the operation through the engine. A mutation's
 * Idempotency-Key is claimed first (key-claims.ts): one used before for other mutation fields is
 * refused, 422. Denied fields are put back as null with FORBIDDEN; a mutation refused for its
 * Idempotency-Key by a subgraph gets that status; a mutation invalidates the cached answers of
 * the subgraphs it wrote, a clean query answer is stored. Authenticated callers' answers are
 * marked private.
 */
export const execute: OperationStage = async (op, deps) => {
  const { auth, text } = need(op.prepared, 'prepared');
  // Validated, then passed on to the subgraphs' mutation fetches (idempotency.ts).
  const idempotencyKey =
    auth.operation === 'mutation' ? idempotencyKeyOf(op.req.headers) : undefined;
  let claim: ClaimOutcome | undefined;
  if (idempotencyKey && deps.claimKey) {
    const fields = mutationFieldsOf(need(op.doc, 'doc'), op.operationName);
    claim = await deps.claimKey(op.identity.id, idempotencyKey, fields);
    if (claim.kind === 'other') {
      op.audit.errorCodes = ['IDEMPOTENCY_KEY_REUSED'];
      return json(
        422,
        errorBody(
          'This Idempotency-Key was already used for a different request; use a new key.',
          'IDEMPOTENCY_KEY_REUSED',
          { field: 'Idempotency-Key' },
        ),
      );
    }
  }
  const context: RequestContext = {
    requestId: op.requestId,
    identity: op.identity,
    subgraphs: new Set(),
    idempotencyKey,
    idempotencyRequest:
      idempotencyKey &&
      requestFingerprint(
        need(op.doc, 'doc'),
        op.operationName,
        op.variables ?? undefined,
        op.served?.schema,
      ),
    cacheGenerations: op.cached?.gens,
    ownFetches: op.uncached,
  };
  const result = await deps.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: httpRequest(op, text),
    context: async () => context,
  });
  let bodyText = '';
  if (result.body.kind === 'complete') bodyText = result.body.string;
  else for await (const chunk of result.body.asyncIterator) bodyText += chunk;
  if (auth.denied.length > 0) {
    const parsed = JSON.parse(bodyText) as Parameters<typeof applyDenials>[0];
    applyDenials(parsed, auth);
    bodyText = JSON.stringify(parsed);
  }
  op.audit.errorCodes = [
    ...(auth.denied.length ? ['FORBIDDEN'] : []),
    ...(context.errorCodes ?? []),
  ];
  if (claim?.kind === 'claimed' && wroteNothing(bodyText)) await claim.release();
  const status = keyRefusalStatus(auth.operation, bodyText) ?? result.status ?? 200;
  const cacheControl = result.headers.get('cache-control');
  if (auth.operation === 'mutation') await deps.responseCache?.invalidate(context.subgraphs!);
  else if (op.cache && status === 200 && !context.errorCodes?.length) {
    void op.cache.store(
      need(op.cacheQuery, 'cacheQuery'),
      bodyText,
      cacheControl,
      context.subgraphs!,
      op.cached?.gens,
      op.cached?.writing,
    );
  }
  const headers: Record<string, string> = {};
  for (const [key, value] of result.headers) headers[key] = value;
  if (cacheControl) headers['cache-control'] = forCaller(cacheControl, op.identity);
  const reply: Reply = { status, headers, body: bodyText };
  return reply;
};
