import { buildFederatedSchema } from '../shared/schema.js';
import { FacilityResolver, resolveFacilityReference } from './facility/facility.resolver.js';
import {
  VillageHealthcareFieldResolver,
  VillageHealthcareResolver,
} from './village/village-healthcare.resolver.js';
import { Village, resolveVillageReference } from './village/village.reference.js';

export function buildHealthcareSchema() {
  return buildFederatedSchema(
    {
      resolvers: [FacilityResolver, VillageHealthcareFieldResolver, VillageHealthcareResolver],
      // Reachable only through `_entities`, so listed explicitly.
      orphanedTypes: [Village],
    },
    {
      Village: { __resolveReference: resolveVillageReference },
      Facility: { __resolveReference: resolveFacilityReference },
    },
  );
}
