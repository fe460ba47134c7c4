import { VillageChange } from './changes.js';
import { IdempotencyKey } from './idempotency.js';
import { LoadedScope } from './loaded-scope.js';

/**
 * The tables every domain subgraph keeps beside its own, listed last in its `entities`: the
 * Idempotency-Keys of exactly-once writes (stored in the write's transaction), the scopes the
 * seed command loaded (which villages places holds, docs/data.md) and the change outbox written
 * in each write's transaction (docs/partners.md).
 */
export const DOMAIN_SHARED_ENTITIES = [IdempotencyKey, LoadedScope, VillageChange];
