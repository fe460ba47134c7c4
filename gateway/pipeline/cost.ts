import type { OperationStage } from './types.js';
import { need } from './types.js';

/**
 * Operation stage 4: the demand-control cost (`@cost`/`@listSize`), which depends on the
 * variables and so runs per request; over MAX_COST it throws COST_LIMIT_EXCEEDED (400).
 */
export const cost: OperationStage = (op, deps) => {
  const served = need(op.served, 'served');
  deps.limits.checkCost(
    served.schema,
    served.cost,
    need(op.doc, 'doc'),
    op.operationName,
    op.variables,
  );
  return undefined;
};
