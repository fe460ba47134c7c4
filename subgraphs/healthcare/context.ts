import { domainContextFactory } from '../shared/request-context.js';
import { createAssistanceLoaders } from './assistance/assistance.loaders.js';
import { createFacilityLoaders } from './facility/facility.loaders.js';
import { createRegionLoaders } from './rollup/rollup.loaders.js';

/** Healthcare's request context: the shared one (subgraphs/shared/request-context.ts) and its loaders. */
export const createHealthcareContext = domainContextFactory((em) => ({
  ...createFacilityLoaders(em),
  ...createAssistanceLoaders(em),
  ...createRegionLoaders(em),
}));

export type HealthcareContext = ReturnType<typeof createHealthcareContext>;
