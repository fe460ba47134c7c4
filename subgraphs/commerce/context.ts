import { domainContextFactory } from '../shared/request-context.js';
import { createEnterpriseLoaders } from './enterprise/enterprise.loaders.js';
import { createRollupLoaders } from './rollup/rollup.loaders.js';
import { createStoreLoaders } from './store/store.loaders.js';

/** Commerce's request context: the shared one (subgraphs/shared/request-context.ts) and its loaders. */
export const createCommerceContext = domainContextFactory((em) => ({
  stores: createStoreLoaders(em),
  enterprises: createEnterpriseLoaders(em),
  rollups: createRollupLoaders(em),
}));

export type CommerceContext = ReturnType<typeof createCommerceContext>;
