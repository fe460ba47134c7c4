import type { SubgraphDefinition } from '../shared/subgraph.js';
import { Auditorium } from './auditorium/auditorium.entity.js';
import { createCultureContext, type CultureContext } from './context.js';
import { migrations } from './migrations/index.js';
import { buildCultureSchema } from './schema.js';
import { seedCulture } from './seed/culture.seed.js';

/** The culture subgraph: village culture auditoriums as hubs of digital public services. */
export const cultureSubgraph: SubgraphDefinition<CultureContext> = {
  name: 'culture',
  entities: [Auditorium],
  migrations,
  buildSchema: buildCultureSchema,
  createContext: (em, log, req) => createCultureContext(em, log, req.requestId),
  seed: seedCulture,
};
