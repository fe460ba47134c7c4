import type { EntityManager } from '../shared/database.js';
import type { Logger } from '../shared/logger.js';
import { domainContext, type DomainContext } from '../shared/request-context.js';
import type { RequestInfo } from '../shared/server.js';
import { createAssistanceLoaders } from './assistance/assistance.loaders.js';
import { createFacilityLoaders } from './facility/facility.loaders.js';
import { createRegionLoaders } from './rollup/rollup.loaders.js';

const createLoaders = (em: EntityManager) => ({
  ...createFacilityLoaders(em),
  ...createAssistanceLoaders(em),
  ...createRegionLoaders(em),
});

export type HealthcareContext = DomainContext<ReturnType<typeof createLoaders>>;

export function createHealthcareContext(
  em: EntityManager,
  log: Logger,
  req: RequestInfo,
): HealthcareContext {
  return domainContext(em, log, req, createLoaders(em));
}
