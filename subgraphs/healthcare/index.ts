import { DOMAIN_SHARED_ENTITIES } from '../shared/domain-entities.js';
import type { SubgraphDefinition } from '../shared/subgraph.js';
import { createHealthcareContext, type HealthcareContext } from './context.js';
import { VillageAccess } from './access/village-access.entity.js';
import { AssistancePoint } from './assistance/assistance-point.entity.js';
import { AssistedBookingMonth } from './assistance/assisted-booking.entity.js';
import { Facility } from './facility/facility.entity.js';
import { RegionBookingRollup, RegionHealthcareRollup } from './rollup/rollup.entity.js';
import { TelemedicineLink } from './telemedicine/telemedicine-link.entity.js';
import { migrations } from './migrations/index.js';
import { buildHealthcareSchema } from './schema.js';
import { seedHealthcare } from './seed/healthcare.seed.js';

/** The healthcare-access subgraph: facilities, access measures and aggregated counts only. */
export const healthcareSubgraph: SubgraphDefinition<HealthcareContext> = {
  name: 'healthcare',
  // Facility first: the seeder's --if-empty check counts the first entity.
  entities: [
    Facility,
    TelemedicineLink,
    VillageAccess,
    AssistancePoint,
    AssistedBookingMonth,
    RegionHealthcareRollup,
    RegionBookingRollup,
    ...DOMAIN_SHARED_ENTITIES,
  ],
  migrations,
  buildSchema: buildHealthcareSchema,
  createContext: createHealthcareContext,
  seed: seedHealthcare,
};
