import { RequestRejection } from '../operations/limits.js';
import type { OperationStage } from './types.js';

/** Operation stage 1: a JSON object with a string `operationName` and object `variables`. */
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
  op.body = body;
  op.operationName = operationName ?? undefined;
  op.variables = (variables as Record<string, unknown> | null) ?? undefined;
  return undefined;
};
