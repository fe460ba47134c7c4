import type { EntityManager } from '../shared/database.js';
import type { Logger } from '../shared/logger.js';
import { createStoreLoaders } from './store/store.loaders.js';

export interface CommerceContext {
  requestId: string;
  em: EntityManager;
  log: Logger;
  loaders: ReturnType<typeof createStoreLoaders>;
}

export function createCommerceContext(
  em: EntityManager,
  log: Logger,
  requestId: string,
): CommerceContext {
  return { requestId, em, log: log.child({ requestId }), loaders: createStoreLoaders(em) };
}
