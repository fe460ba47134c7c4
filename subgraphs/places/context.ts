import type { EntityManager } from '../shared/database.js';
import type { Logger } from '../shared/logger.js';
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
}

export function createPlacesContext(
  em: EntityManager,
  log: Logger,
  requestId: string,
): PlacesContext {
  return {
    requestId,
    em,
    log: log.child({ requestId }),
    loaders: { ...createRegionLoaders(em), ...createVillageLoaders(em), ...createIndexLoaders(em) },
    indexRefs: new IndexReferences(),
  };
}
