import { buildFederatedSchema } from '../shared/schema.js';
import { VillageChangeResolver } from './changes/change-feed.resolver.js';
import { RegionIndexResolver, VillageIndexResolver } from './digital-index/index.resolver.js';
import { RegionResolver, resolveRegionReference } from './region/region.resolver.js';
import {
  VillageConnectionResolver,
  VillageResolver,
  resolveVillageReference,
} from './village/village.resolver.js';

export function buildPlacesSchema() {
  return buildFederatedSchema(
    {
      resolvers: [
        VillageResolver,
        VillageConnectionResolver,
        RegionResolver,
        RegionIndexResolver,
        VillageIndexResolver,
        VillageChangeResolver,
      ],
    },
    {
      Village: { __resolveReference: resolveVillageReference },
      Region: { __resolveReference: resolveRegionReference },
    },
  );
}
