import type { EntityManager } from '../shared/database.js';
import type { Logger } from '../shared/logger.js';
import { createFacilityLoaders } from './facility/facility.loaders.js';

export interface HealthcareContext {
  requestId: string;
  em: EntityManager;
  log: Logger;
  loaders: ReturnType<typeof createFacilityLoaders>;
}

export function createHealthcareContext(
  em: EntityManager,
  log: Logger,
  requestId: string,
): HealthcareContext {
  return { requestId, em, log: log.child({ requestId }), loaders: createFacilityLoaders(em) };
}
