import { RequestRejection } from '../operations/limits.js';
import type { OperationStage } from './types.js';

const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * `extensions` an object, its `persistedQuery` an object with a string `sha256Hash`, and
 * `documentId` a string, when present (400 BAD_REQUEST, as Apollo Server): a request of another
 * shape is refused rather than run as if the odd member were not there.
 */
function refuseOddExtensions(body: Record<string, unknown>): void {
  const { extensions, documentId } = body;
  if (extensions != null && !isObject(extensions)) {
    throw new RequestRejection(400, 'BAD_REQUEST', '`extensions` must be an object.');
  }
  const ext = (extensions ?? {}) as Record<string, unknown>;
  if (ext.persistedQuery != null) {
    const pq = ext.persistedQuery;
    if (!isObject(pq) || typeof (pq as { sha256Hash?: unknown }).sha256Hash !== 'string') {
      throw new RequestRejection(
        400,
        'BAD_REQUEST',
        '`extensions.persistedQuery` must be an object with a string `sha256Hash`.',
      );
    }
  }
  if (documentId != null && typeof documentId !== 'string') {
    throw new RequestRejection(400, 'BAD_REQUEST', '`documentId` must be a string.');
  }
}

/**
 * Operation stage 1: a JSON object with a string `operationName`, object `variables` and
 * `extensions`, and well-formed persisted-query members.
 */
export const operation: OperationStage = (op) => {
  const raw = op.raw;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new RequestRejection(400, 'BAD_REQUEST', 'The body must be a JSON object.');
  }
  const body = raw as Record<string, unknown>;
  const { operationName, variables } = body;
  if (operationName != null && typeof operationName !== 'string') {
    throw new RequestRejection(400, 'BAD_REQUEST', '`operationName` must be a string.');
  }
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) {
    throw new RequestRejection(400, 'BAD_REQUEST', '`variables` must be an object.');
  }
  refuseOddExtensions(body);
  op.body = body;
  op.operationName = operationName ?? undefined;
  op.variables = (variables as Record<string, unknown> | null) ?? undefined;
  return undefined;
};
