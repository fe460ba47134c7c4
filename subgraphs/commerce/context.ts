import type { EntityManager } from '../shared/database.js';
import { IDEMPOTENCY_HEADER } from '../shared/idempotency.js';
import type { Logger } from '../shared/logger.js';
import type { RequestInfo } from '../shared/server.js';
import { createEnterpriseLoaders } from './enterprise/enterprise.loaders.js';
import { createRollupLoaders } from './rollup/rollup.loaders.js';
import { createStoreLoaders } from './store/store.loaders.js';

function createLoaders(em: EntityManager) {
  return {
    stores: createStoreLoaders(em),
    enterprises: createEnterpriseLoaders(em),
    rollups: createRollupLoaders(em),
  };
}

export interface CommerceContext {
  requestId: string;
  em: EntityManager;
  log: Logger;
  loaders: ReturnType<typeof createLoaders>;
  /** The caller identity the gateway signed for this request, if any (see shared/identity.ts). */
  identity: RequestInfo['identity'];
  /** The request's `Idempotency-Key` header as the gateway passed it (see shared/idempotency.ts). */
  idempotencyKey: string | undefined;
}

export function createCommerceContext(
  em: EntityManager,
  log: Logger,
  req: RequestInfo,
): CommerceContext {
  return {
    requestId: req.requestId,
    em,
    log: log.child({ requestId: req.requestId }),
    loaders: createLoaders(em),
    identity: req.identity,
    idempotencyKey: req.headers[IDEMPOTENCY_HEADER] as string | undefined,
  };
}
