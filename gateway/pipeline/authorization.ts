import { AuthError } from '../auth/auth.js';
import { applyDenials } from '../auth/authz.js';
import { RequestRejection } from '../operations/limits.js';
import { json } from './reply.js';
import type { OperationStage } from './types.js';
import { need } from './types.js';

/**
 * Operation stage 5: what this caller may run. Fields the caller may not read are removed (and
 * answered null with FORBIDDEN at their paths after execution); introspection needs it to be on
 * or the introspect scope; writes need credentials. When nothing is left to run, the answer is
 * the denials alone.
 */
export const authorization: OperationStage = (op, deps) => {
  const served = need(op.served, 'served');
  const prepared = deps.operations.authorize({
    schema: served.schema,
    directives: served.directives,
    sensitiveTypes: deps.sensitiveTypes,
    hash: need(op.hash, 'hash'),
    query: need(op.query, 'query'),
    operationName: op.operationName,
    identity: op.identity,
  });
  if (!prepared) throw new RequestRejection(400, 'BAD_REQUEST', 'Name the operation to run.');
  op.prepared = prepared;
  const { auth } = prepared;
  op.audit.operationType = auth.operation;
  op.audit.operationName = auth.operationName;
  op.audit.sensitiveFields = auth.sensitive;
  if (auth.introspection && !(deps.config.introspection || op.privileged)) {
    throw new RequestRejection(400, 'INTROSPECTION_DISABLED', 'Introspection is disabled.');
  }
  if (auth.operation !== 'query' && !op.identity.authenticated) {
    throw new AuthError('UNAUTHENTICATED', 'Writes need credentials: an API key or a token.');
  }
  if (!auth.document) {
    const out: { data?: Record<string, unknown> | null; errors?: unknown[] } = {};
    applyDenials(out, auth);
    op.audit.errorCodes = ['FORBIDDEN'];
    return json(200, out);
  }
  return undefined;
};
