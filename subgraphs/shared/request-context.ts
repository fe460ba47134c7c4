import type { EntityManager } from './database.js';
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_REQUEST_HEADER } from '../../contract/idempotency.js';
import type { Logger } from './logger.js';
import type { RequestInfo } from './server.js';
import type { HeldScope } from './loaded-scope.js';
import type { SubgraphServices } from './subgraph.js';

/** What every domain resolver gets per request: its database, log, caller and loaders. */
export interface DomainContext<Loaders extends object> {
  requestId: string;
  em: EntityManager;
  log: Logger;
  /** The caller identity the gateway signed for this request, if any (see identity.ts). */
  identity: RequestInfo['identity'];
  /** The request's `Idempotency-Key` header as the gateway passed it (see idempotency.ts). */
  idempotencyKey: string | undefined;
  /** The fingerprint of the client's whole operation the gateway sends with the key. */
  idempotencyRequest: string | undefined;
  /** Request-scoped DataLoaders (one `IN (...)` query per batch). */
  loaders: Loaders;
  /**
   * Fresh `loaders` for what the request reads next: called after each write it commits, so
   * that a read after it (the answer of the next mutation field of the operation) is not served
   * what the loaders cached before it.
   */
  renewLoaders: () => void;
  /** The places the domain holds data for (loaded-scope.ts); unset: not known. */
  heldScope?: HeldScope;
}

/**
 * A domain's `createContext`: each request gets its database, log, caller and the loaders
 * `createLoaders` makes fresh for it (so no loader cache outlives a request).
 */
export function domainContextFactory<Loaders extends object>(
  createLoaders: (em: EntityManager) => Loaders,
) {
  return (
    em: EntityManager,
    log: Logger,
    req: RequestInfo,
    services?: SubgraphServices,
  ): DomainContext<Loaders> => {
    const loaders = createLoaders(em);
    return {
      requestId: req.requestId,
      em,
      log: log.child({ requestId: req.requestId }),
      identity: req.identity,
      idempotencyKey: req.headers[IDEMPOTENCY_HEADER] as string | undefined,
      idempotencyRequest: req.headers[IDEMPOTENCY_REQUEST_HEADER] as string | undefined,
      loaders,
      // In place: Apollo Server runs the operation with a shallow copy of this context.
      renewLoaders: () => void Object.assign(loaders, createLoaders(em)),
      heldScope: services?.heldScope,
    };
  };
}
