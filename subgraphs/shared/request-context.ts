import type { EntityManager } from './database.js';
import { IDEMPOTENCY_HEADER } from './idempotency.js';
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

/** A domain's request context, its loaders made fresh for the request. */
export function domainContext<Loaders>(
  em: EntityManager,
  log: Logger,
  req: RequestInfo,
  loaders: Loaders,
): DomainContext<Loaders> {
  return {
    requestId: req.requestId,
    em,
    log: log.child({ requestId: req.requestId }),
    identity: req.identity,
    idempotencyKey: req.headers[IDEMPOTENCY_HEADER] as string | undefined,
    loaders,
  };
}
