import { buildFederatedSchema } from '../shared/schema.js';
import {
  AuditoriumResolver,
  resolveAuditoriumReference,
} from './auditorium/auditorium.resolver.js';
import {
  VillageCultureFieldResolver,
  VillageCultureResolver,
} from './village/village-culture.resolver.js';
import { Village, resolveVillageReference } from './village/village.reference.js';

export function buildCultureSchema() {
  return buildFederatedSchema(
    {
      resolvers: [AuditoriumResolver, VillageCultureFieldResolver, VillageCultureResolver],
      // Reachable only through `_entities`, so listed explicitly.
      orphanedTypes: [Village],
    },
    {
      Village: { __resolveReference: resolveVillageReference },
      Auditorium: { __resolveReference: resolveAuditoriumReference },
    },
  );
}
