import { OutboxResolver } from '../shared/changes.js';
import { buildFederatedSchema } from '../shared/schema.js';
import {
  EnterpriseResolver,
  EnterpriseYearResolver,
  resolveEnterpriseReference,
} from './enterprise/enterprise.resolver.js';
import { COMMERCE_INDEX_RESOLVERS } from './index-components/commerce-index.resolver.js';
import { ParkResolver } from './park/park.resolver.js';
import {
  RegionCommerceFieldResolver,
  RegionCommerceResolver,
  RegionSalesResolver,
} from './region/region-commerce.resolver.js';
import {
  RegionCommerceFactsResolver,
  RegionCommerceReportedFactsResolver,
} from './region/region-facts.resolver.js';
import { RegionCommerceRankingResolver } from './region/region-ranking.resolver.js';
import { Region, resolveRegionReference } from './region/region.reference.js';
import { SalesTrendResolver } from './region/region-trend.resolver.js';
import { SalesMutationResolver } from './sales/sales.mutations.js';
import { StoreMutationResolver } from './store/store.mutations.js';
import {
  MonthlySalesResolver,
  StoreResolver,
  resolveStoreReference,
} from './store/store.resolver.js';
import {
  VillageCommerceFieldResolver,
  VillageCommerceResolver,
  VillageSalesResolver,
} from './village/village-commerce.resolver.js';
import { Village, resolveVillageReference } from './village/village.reference.js';
import { WorkshopResolver } from './workshop/workshop.resolver.js';

export function buildCommerceSchema() {
  return buildFederatedSchema(
    {
      resolvers: [
        OutboxResolver,
        StoreResolver,
        MonthlySalesResolver,
        StoreMutationResolver,
        SalesMutationResolver,
        EnterpriseResolver,
        EnterpriseYearResolver,
        ParkResolver,
        VillageCommerceFieldResolver,
        VillageCommerceResolver,
        VillageSalesResolver,
        RegionCommerceFieldResolver,
        RegionCommerceResolver,
        RegionSalesResolver,
        RegionCommerceRankingResolver,
        SalesTrendResolver,
        ...COMMERCE_INDEX_RESOLVERS,
        RegionCommerceReportedFactsResolver,
        RegionCommerceFactsResolver,
        WorkshopResolver,
      ],
      // Reachable only through `_entities`, so listed explicitly.
      orphanedTypes: [Village, Region],
    },
    {
      Village: { __resolveReference: resolveVillageReference },
      Region: { __resolveReference: resolveRegionReference },
      OnlineStore: { __resolveReference: resolveStoreReference },
      Enterprise: { __resolveReference: resolveEnterpriseReference },
    },
  );
}
