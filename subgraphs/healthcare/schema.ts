import { OutboxResolver } from '../shared/changes.js';
import { buildFederatedSchema } from '../shared/schema.js';
import { AssistanceMutationResolver } from './assistance/assistance.mutations.js';
import {
  AssistancePointResolver,
  AssistedBookingMonthResolver,
} from './assistance/assistance.resolver.js';
import { Auditorium } from './assistance/auditorium.reference.js';
import { AuditoriumNeighbourResolver } from './assistance/auditorium-neighbours.resolver.js';
import { FacilityMutationResolver } from './facility/facility.mutations.js';
import { FacilityResolver, resolveFacilityReference } from './facility/facility.resolver.js';
import { HEALTHCARE_INDEX_RESOLVERS } from './index-components/healthcare-index.resolver.js';
import { RegionHealthcareRankingResolver } from './region/region-ranking.resolver.js';
import {
  RegionHealthcareFieldResolver,
  RegionHealthcareResolver,
} from './region/region-healthcare.resolver.js';
import { Region, resolveRegionReference } from './region/region.reference.js';
import { TelemedicineLinkResolver } from './telemedicine/telemedicine.resolver.js';
import {
  VillageAccessResolver,
  VillageHealthcareFieldResolver,
  VillageHealthcareResolver,
} from './village/village-healthcare.resolver.js';
import { Village, resolveVillageReference } from './village/village.reference.js';

export function buildHealthcareSchema() {
  return buildFederatedSchema(
    {
      resolvers: [
        OutboxResolver,
        AuditoriumNeighbourResolver,
        FacilityResolver,
        FacilityMutationResolver,
        TelemedicineLinkResolver,
        AssistancePointResolver,
        AssistedBookingMonthResolver,
        AssistanceMutationResolver,
        VillageHealthcareFieldResolver,
        VillageHealthcareResolver,
        VillageAccessResolver,
        RegionHealthcareFieldResolver,
        RegionHealthcareResolver,
        RegionHealthcareRankingResolver,
        ...HEALTHCARE_INDEX_RESOLVERS,
      ],
      // Reachable only through `_entities`, so listed explicitly.
      orphanedTypes: [Village, Region, Auditorium],
    },
    {
      Village: { __resolveReference: resolveVillageReference },
      Region: { __resolveReference: resolveRegionReference },
      Facility: { __resolveReference: resolveFacilityReference },
    },
  );
}
