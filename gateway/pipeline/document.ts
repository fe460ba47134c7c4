import { INTROSPECT_SCOPE } from '../auth/auth.js';
import { RequestRejection } from '../operations/limits.js';
import type { OperationStage } from './types.js';
import { need } from './types.js';

/**
 * Operation stage 2: the document. Its text comes from the body, the APQ cache or the trusted
 * documents (callers restricted to trusted documents get only those); then it is parsed, held to
 * the size and depth limits and validated against the served schema, once per document
 * (operation-cache.ts). "Did you mean" hints only for callers who may introspect.
 */
export const document: OperationStage = (op, deps) => {
  const body = need(op.body, 'body');
  const { query, hash } = deps.resolveDocument(body, op.identity.trustedDocumentsOnly);
  op.query = query;
  op.hash = hash;
  op.audit.documentHash = hash;
  op.audit.operationName = op.operationName;
  const served = deps.current();
  if (!served) throw new RequestRejection(503, 'SERVICE_UNAVAILABLE', 'Starting up.');
  op.served = served;
  op.privileged = op.identity.scopes.includes(INTROSPECT_SCOPE);
  op.doc = deps.operations.document(
    served.schema,
    hash,
    query,
    deps.config.fieldSuggestions || op.privileged,
  );
  return undefined;
};
