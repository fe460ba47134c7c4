import type { EntityManager } from '../shared/database.js';
import type { Logger } from '../shared/logger.js';
import { createAuditoriumLoaders } from './auditorium/auditorium.loaders.js';

export interface CultureContext {
  requestId: string;
  em: EntityManager;
  log: Logger;
  loaders: ReturnType<typeof createAuditoriumLoaders>;
}

export function createCultureContext(
  em: EntityManager,
  log: Logger,
  requestId: string,
): CultureContext {
  return { requestId, em, log: log.child({ requestId }), loaders: createAuditoriumLoaders(em) };
}
