import type { EntityManager } from '../shared/database.js';
import { IDEMPOTENCY_HEADER } from '../shared/idempotency.js';
import type { Logger } from '../shared/logger.js';
import type { RequestInfo } from '../shared/server.js';
import { createAuditoriumLoaders } from './auditorium/auditorium.loaders.js';
import { createRegionLoaders } from './rollup/rollup.loaders.js';
import { createResourceLoaders } from './resource/digital-resource.loaders.js';

export interface CultureContext {
  requestId: string;
  em: EntityManager;
  log: Logger;
  /** The caller identity the gateway signed for this request, if any (see shared/identity.ts). */
  identity: RequestInfo['identity'];
  /** The request's `Idempotency-Key` header as the gateway passed it (see shared/idempotency.ts). */
  idempotencyKey: string | undefined;
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
    identity: req.identity,
    idempotencyKey: req.headers[IDEMPOTENCY_HEADER] as string | undefined,
    loaders: {
      ...createAuditoriumLoaders(em),
      ...createResourceLoaders(em),
      ...createRegionLoaders(em),
    },
  };
}
