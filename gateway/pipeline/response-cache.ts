import { cacheControlOfHit } from '../operations/response-cache.js';
import { forCaller, type Reply } from './reply.js';
import type { OperationStage } from './types.js';
import { need } from './types.js';

/**
 * Operation stage 6: a whole answer from the response cache (response-cache.ts), for queries
 * with nothing denied and no introspection, as the subgraphs' cache hints allow; never for an
 * export page (`uncached`). A hit ends the
 * request; a miss leaves what `execute` needs to store the answer.
 */
export const responseCache: OperationStage = async (op, deps) => {
  const { auth } = need(op.prepared, 'prepared');
  op.cache =
    auth.operation === 'query' && auth.denied.length === 0 && !auth.introspection && !op.uncached
      ? deps.responseCache
      : undefined;
  op.cacheQuery = {
    schemaVersion: need(op.served, 'served').version,
    documentHash: need(op.hash, 'hash'),
    operationName: op.operationName,
    variables: op.body?.variables,
    identity: op.identity,
  };
  op.cached = op.cache ? await op.cache.lookup(op.cacheQuery) : undefined;
  const hit = op.cached?.hit;
  if (!hit) return undefined;
  op.audit.errorCodes = [];
  deps.observeCachedAnswer?.(
    auth.operationName,
    auth.operation,
    (performance.now() - op.startedAt) / 1000,
    op.identity.authenticated,
  );
  const reply: Reply = {
    status: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': forCaller(cacheControlOfHit(hit), op.identity),
    },
    body: hit.body,
  };
  return reply;
};
