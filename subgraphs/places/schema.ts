import { buildFederatedSchema } from '../shared/schema.js';
import { VillageChangeResolver } from './changes/change-feed.resolver.js';
import { keepingIndexInputs } from './digital-index/index.references.js';
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
      // The index inputs of a representation are kept for the index fields (digital-index/).
      Village: { __resolveReference: keepingIndexInputs('Village', resolveVillageReference) },
      Region: { __resolveReference: keepingIndexInputs('Region', resolveRegionReference) },
    },
  );
}
