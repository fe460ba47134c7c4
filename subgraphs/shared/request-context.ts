import type { EntityManager } from './database.js';
import { IDEMPOTENCY_HEADER } from '../../contract/idempotency.js';
import type { Logger } from './logger.js';
import type { RequestInfo } from './server.js';

/** What every domain resolver gets per request: its database, log, caller and loaders. */
export interface DomainContext<Loaders> {
  requestId: string;
  em: EntityManager;
  log: Logger;
  /** The caller identity the gateway signed for this request, if any (see identity.ts). */
  identity: RequestInfo['identity'];
  /** The request's `Idempotency-Key` header as the gateway passed it (see idempotency.ts). */
  idempotencyKey: string | undefined;
  /** Request-scoped DataLoaders (one `IN (...)` query per batch). */
  loaders: Loaders;
}

/**
 * A domain's `createContext`: each request gets its database, log, caller and the loaders
 * `createLoaders` makes fresh for it (so no loader cache outlives a request).
 */
export function domainContextFactory<Loaders>(createLoaders: (em: EntityManager) => Loaders) {
  return (em: EntityManager, log: Logger, req: RequestInfo): DomainContext<Loaders> => ({
    requestId: req.requestId,
    em,
    log: log.child({ requestId: req.requestId }),
    identity: req.identity,
    idempotencyKey: req.headers[IDEMPOTENCY_HEADER] as string | undefined,
    loaders: createLoaders(em),
  });
}
