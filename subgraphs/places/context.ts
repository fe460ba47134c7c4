import type { EntityManager } from '../shared/database.js';
import type { Logger } from '../shared/logger.js';
import type { SubgraphServices } from '../shared/subgraph.js';
import { IndexReferences, createIndexLoaders } from './digital-index/index.loaders.js';
import { createRegionLoaders } from './region/region.loaders.js';
import { createVillageLoaders } from './village/village.loaders.js';

export interface PlacesContext {
  requestId: string;
  em: EntityManager;
  log: Logger;
  loaders: ReturnType<typeof createRegionLoaders> &
    ReturnType<typeof createVillageLoaders> &
    ReturnType<typeof createIndexLoaders>;
  /** Domain figures the gateway sent in `_entities` representations for the index fields. */
  indexRefs: IndexReferences;
  /** The domains' change outboxes, for the change feed (changes/). */
  services: SubgraphServices;
}

export function createPlacesContext(
  em: EntityManager,
  log: Logger,
  requestId: string,
  services: SubgraphServices,
): PlacesContext {
  return {
    requestId,
    em,
    log: log.child({ requestId }),
    loaders: { ...createRegionLoaders(em), ...createVillageLoaders(em), ...createIndexLoaders(em) },
    indexRefs: new IndexReferences(),
    services,
  };
}
