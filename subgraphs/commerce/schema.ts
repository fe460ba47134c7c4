import { buildFederatedSchema } from '../shared/schema.js';
import { StoreResolver, resolveStoreReference } from './store/store.resolver.js';
import {
  VillageCommerceFieldResolver,
  VillageCommerceResolver,
} from './village/village-commerce.resolver.js';
import { Village, resolveVillageReference } from './village/village.reference.js';

export function buildCommerceSchema() {
  return buildFederatedSchema(
    {
      resolvers: [StoreResolver, VillageCommerceFieldResolver, VillageCommerceResolver],
      // Reachable only through `_entities`, so listed explicitly.
      orphanedTypes: [Village],
    },
    {
      Village: { __resolveReference: resolveVillageReference },
      OnlineStore: { __resolveReference: resolveStoreReference },
    },
  );
}
