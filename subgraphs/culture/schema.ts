import { OutboxResolver } from '../shared/changes.js';
import { buildFederatedSchema } from '../shared/schema.js';
import {
  AuditoriumResolver,
  resolveAuditoriumReference,
} from './auditorium/auditorium.resolver.js';
import { AuditoriumEventMutationResolver } from './event/auditorium-event.mutations.js';
import { CULTURE_INDEX_RESOLVERS } from './index-components/culture-index.resolver.js';
import {
  RegionCultureFieldResolver,
  RegionCultureResolver,
} from './region/region-culture.resolver.js';
import { RegionCultureRankingResolver } from './region/region-ranking.resolver.js';
import { RegionUsageTrendResolver } from './region/region-trend.resolver.js';
import { RegionCultureFactsResolver } from './region/region-facts.resolver.js';
import { Region, resolveRegionReference } from './region/region.reference.js';
import { DigitalResourceResolver } from './resource/digital-resource.resolver.js';
import { AuditoriumUsageMutationResolver } from './usage/auditorium-usage.mutations.js';
import {
  VillageCultureFieldResolver,
  VillageCultureResolver,
} from './village/village-culture.resolver.js';
import { Village, resolveVillageReference } from './village/village.reference.js';

export function buildCultureSchema() {
  return buildFederatedSchema(
    {
      resolvers: [
        OutboxResolver,
        AuditoriumResolver,
        DigitalResourceResolver,
        AuditoriumEventMutationResolver,
        AuditoriumUsageMutationResolver,
        VillageCultureFieldResolver,
        VillageCultureResolver,
        RegionCultureFieldResolver,
        RegionCultureResolver,
        RegionCultureRankingResolver,
        RegionUsageTrendResolver,
        ...CULTURE_INDEX_RESOLVERS,
        RegionCultureFactsResolver,
      ],
      // Reachable only through `_entities`, so listed explicitly.
      orphanedTypes: [Village, Region],
    },
    {
      Village: { __resolveReference: resolveVillageReference },
      Region: { __resolveReference: resolveRegionReference },
      Auditorium: { __resolveReference: resolveAuditoriumReference },
    },
  );
}
