import type { EntityManager } from '../shared/database.js';
import type { Logger } from '../shared/logger.js';
import { createRegionLoaders } from './region/region.loaders.js';
import { createVillageLoaders } from './village/village.loaders.js';

export interface PlacesContext {
  requestId: string;
  em: EntityManager;
  log: Logger;
  loaders: ReturnType<typeof createRegionLoaders> & ReturnType<typeof createVillageLoaders>;
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
    loaders: { ...createRegionLoaders(em), ...createVillageLoaders(em) },
  };
}
