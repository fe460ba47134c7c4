import type { EntityManager } from '../shared/database.js';
import type { Logger } from '../shared/logger.js';
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
}

export function createCommerceContext(
  em: EntityManager,
  log: Logger,
  requestId: string,
): CommerceContext {
  return { requestId, em, log: log.child({ requestId }), loaders: createLoaders(em) };
}
