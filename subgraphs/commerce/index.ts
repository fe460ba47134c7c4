import { IdempotencyKey } from '../shared/idempotency.js';
import { VillageChange } from '../shared/changes.js';
import { LoadedScope } from '../shared/loaded-scope.js';
import type { SubgraphDefinition } from '../shared/subgraph.js';
import { createCommerceContext, type CommerceContext } from './context.js';
import { migrations } from './migrations/index.js';
import { buildCommerceSchema } from './schema.js';
import { seedCommerce } from './seed/commerce.seed.js';
import { Enterprise, EnterpriseYear } from './enterprise/enterprise.entity.js';
import { EcommercePark } from './park/park.entity.js';
import {
  CommerceRegion,
  CommerceRegionMonth,
  CommerceRegionStore,
} from './rollup/rollup.entity.js';
import { StoreMonthlySales } from './sales/sales.entity.js';
import { ServicePoint } from './service-point/service-point.entity.js';
import { OnlineStore } from './store/store.entity.js';
import { ProcessingWorkshop } from './workshop/workshop.entity.js';

/** The commerce subgraph: rural e-commerce stores, enterprises, parks, jobs and revenue. */
export const commerceSubgraph: SubgraphDefinition<CommerceContext> = {
  name: 'commerce',
  entities: [
    OnlineStore,
    StoreMonthlySales,
    Enterprise,
    EnterpriseYear,
    EcommercePark,
    ServicePoint,
    ProcessingWorkshop,
    CommerceRegion,
    CommerceRegionStore,
    CommerceRegionMonth,
    // Exactly-once writes: keys stored in the same transaction as the write.
    IdempotencyKey,
    // The scopes the seed command loaded: which villages places holds (docs/data.md).
    LoadedScope,
    // The change outbox, written in each write's transaction (docs/partners.md).
    VillageChange,
  ],
  migrations,
  buildSchema: buildCommerceSchema,
  createContext: (em, log, req) => createCommerceContext(em, log, req),
  seed: seedCommerce,
};
