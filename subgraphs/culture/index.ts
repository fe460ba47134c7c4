import { DOMAIN_SHARED_ENTITIES } from '../shared/domain-entities.js';
import type { SubgraphDefinition } from '../shared/subgraph.js';
import { Auditorium } from './auditorium/auditorium.entity.js';
import { createCultureContext, type CultureContext } from './context.js';
import { AuditoriumEvent } from './event/auditorium-event.entity.js';
import { migrations } from './migrations/index.js';
import { RegionCultureRollup, RegionUsageRollup } from './rollup/rollup.entity.js';
import { AuditoriumResource, DigitalResource } from './resource/digital-resource.entity.js';
import { buildCultureSchema } from './schema.js';
import { seedCulture } from './seed/culture.seed.js';
import { AuditoriumMonthlyUsage } from './usage/auditorium-usage.entity.js';

/** The culture subgraph: village culture auditoriums as hubs of digital public services. */
export const cultureSubgraph: SubgraphDefinition<CultureContext> = {
  name: 'culture',
  entities: [
    Auditorium,
    DigitalResource,
    AuditoriumResource,
    AuditoriumEvent,
    AuditoriumMonthlyUsage,
    RegionCultureRollup,
    RegionUsageRollup,
    ...DOMAIN_SHARED_ENTITIES,
  ],
  migrations,
  buildSchema: buildCultureSchema,
  createContext: createCultureContext,
  seed: seedCulture,
};
