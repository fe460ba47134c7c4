import { Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
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
  if (!prepared) throw unresolved(op.doc, op.operationName, served.schema);
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

/**
 * Why no operation of the document can run: `operationName` names none of them, several and
 * none named (OPERATION_RESOLUTION_FAILURE, as Apollo Server says it), or an operation type
 * this graph does not serve (subscriptions).
 */
function unresolved(
  doc: DocumentNode | undefined,
  operationName: string | undefined,
  schema: GraphQLSchema,
): RequestRejection {
  const ops = (doc?.definitions ?? []).filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const chosen = operationName
    ? ops.find((o) => o.name?.value === operationName)
    : ops.length === 1
      ? ops[0]
      : undefined;
  if (chosen && !schema.getRootType(chosen.operation)) {
    return new RequestRejection(400, 'BAD_REQUEST', `This graph has no ${chosen.operation}s.`);
  }
  const message = operationName
    ? `No operation named "${operationName.slice(0, 100)}" in the document.`
    : 'The document holds several operations: name the one to run (`operationName`).';
  return new RequestRejection(400, 'OPERATION_RESOLUTION_FAILURE', message);
}
