import type { EntityManager } from '../shared/database.js';
import type { Logger } from '../shared/logger.js';
import { domainContext, type DomainContext } from '../shared/request-context.js';
import type { RequestInfo } from '../shared/server.js';
import { createAuditoriumLoaders } from './auditorium/auditorium.loaders.js';
import { createResourceLoaders } from './resource/digital-resource.loaders.js';
import { createRegionLoaders } from './rollup/rollup.loaders.js';

const createLoaders = (em: EntityManager) => ({
  ...createAuditoriumLoaders(em),
  ...createResourceLoaders(em),
  ...createRegionLoaders(em),
});

export type CultureContext = DomainContext<ReturnType<typeof createLoaders>>;

export function createCultureContext(
  em: EntityManager,
  log: Logger,
  req: RequestInfo,
): CultureContext {
  return domainContext(em, log, req, createLoaders(em));
}
