import type { EntityManager } from '../shared/database.js';
import type { Logger } from '../shared/logger.js';
import { domainContext, type DomainContext } from '../shared/request-context.js';
import type { RequestInfo } from '../shared/server.js';
import { createEnterpriseLoaders } from './enterprise/enterprise.loaders.js';
import { createRollupLoaders } from './rollup/rollup.loaders.js';
import { createStoreLoaders } from './store/store.loaders.js';

const createLoaders = (em: EntityManager) => ({
  stores: createStoreLoaders(em),
  enterprises: createEnterpriseLoaders(em),
  rollups: createRollupLoaders(em),
});

export type CommerceContext = DomainContext<ReturnType<typeof createLoaders>>;

export function createCommerceContext(
  em: EntityManager,
  log: Logger,
  req: RequestInfo,
): CommerceContext {
  return domainContext(em, log, req, createLoaders(em));
}
