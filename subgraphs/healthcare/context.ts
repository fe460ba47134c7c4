import type { EntityManager } from '../shared/database.js';
import { IDEMPOTENCY_HEADER } from '../shared/idempotency.js';
import type { Logger } from '../shared/logger.js';
import type { RequestInfo } from '../shared/server.js';
import { createAssistanceLoaders } from './assistance/assistance.loaders.js';
import { createFacilityLoaders } from './facility/facility.loaders.js';
import { createRegionLoaders } from './rollup/rollup.loaders.js';

export interface HealthcareContext {
  requestId: string;
  em: EntityManager;
  log: Logger;
  /** The caller identity the gateway signed for this request, if any (see shared/identity.ts). */
  identity: RequestInfo['identity'];
  /** The request's `Idempotency-Key` header as the gateway passed it (see shared/idempotency.ts). */
  idempotencyKey: string | undefined;
  loaders: ReturnType<typeof createFacilityLoaders> &
    ReturnType<typeof createAssistanceLoaders> &
    ReturnType<typeof createRegionLoaders>;
}

export function createHealthcareContext(
  em: EntityManager,
  log: Logger,
  req: RequestInfo,
): HealthcareContext {
  return {
    requestId: req.requestId,
    em,
    log: log.child({ requestId: req.requestId }),
    identity: req.identity,
    idempotencyKey: req.headers[IDEMPOTENCY_HEADER] as string | undefined,
    loaders: {
      ...createFacilityLoaders(em),
      ...createAssistanceLoaders(em),
      ...createRegionLoaders(em),
    },
  };
}
