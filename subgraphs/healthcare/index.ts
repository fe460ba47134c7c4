import type { SubgraphDefinition } from '../shared/subgraph.js';
import { createHealthcareContext, type HealthcareContext } from './context.js';
import { Facility } from './facility/facility.entity.js';
import { migrations } from './migrations/index.js';
import { buildHealthcareSchema } from './schema.js';
import { seedHealthcare } from './seed/healthcare.seed.js';

/** The healthcare-access subgraph: facilities, access measures and aggregated counts only. */
export const healthcareSubgraph: SubgraphDefinition<HealthcareContext> = {
  name: 'healthcare',
  entities: [Facility],
  migrations,
  buildSchema: buildHealthcareSchema,
  createContext: (em, log, req) => createHealthcareContext(em, log, req.requestId),
  seed: seedHealthcare,
};
