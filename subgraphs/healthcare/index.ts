import { IdempotencyKey } from '../shared/idempotency.js';
import { VillageChange } from '../shared/changes.js';
import { LoadedScope } from '../shared/loaded-scope.js';
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
    // Exactly-once writes: keys stored in the same transaction as the write.
    IdempotencyKey,
    // The scopes the seed command loaded: which villages places holds (docs/data.md).
    LoadedScope,
    // The change outbox, written in each write's transaction (docs/partners.md).
    VillageChange,
  ],
  migrations,
  buildSchema: buildHealthcareSchema,
  createContext: (em, log, req) => createHealthcareContext(em, log, req),
  seed: seedHealthcare,
};
