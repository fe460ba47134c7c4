import { DOMAIN_SHARED_ENTITIES } from '../shared/domain-entities.js';
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
    ...DOMAIN_SHARED_ENTITIES,
  ],
  migrations,
  buildSchema: buildCommerceSchema,
  createContext: createCommerceContext,
  seed: seedCommerce,
};
