import type { EntityManager } from '../shared/database.js';
import type { Logger } from '../shared/logger.js';
import type { RequestInfo } from '../shared/server.js';
import { createAuditoriumLoaders } from './auditorium/auditorium.loaders.js';
import { createRegionLoaders } from './region/region.loaders.js';
import { createResourceLoaders } from './resource/digital-resource.loaders.js';

export interface CultureContext {
  requestId: string;
  em: EntityManager;
  log: Logger;
  /** Request headers, for the identity check `requireWriter` will make. */
  headers: RequestInfo['headers'];
  loaders: ReturnType<typeof createAuditoriumLoaders> &
    ReturnType<typeof createResourceLoaders> &
    ReturnType<typeof createRegionLoaders>;
}

export function createCultureContext(
  em: EntityManager,
  log: Logger,
  req: RequestInfo,
): CultureContext {
  return {
    requestId: req.requestId,
    em,
    log: log.child({ requestId: req.requestId }),
    headers: req.headers,
    loaders: {
      ...createAuditoriumLoaders(em),
      ...createResourceLoaders(em),
      ...createRegionLoaders(em),
    },
  };
}
