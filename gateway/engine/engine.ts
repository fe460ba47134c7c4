import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { ApolloEngine } from './apollo-engine.js';
import { HiveRouterEngine } from './hive-router.js';
import type { EngineKind, EngineOptions } from './options.js';

/** The engine of this kind over the supergraph file (options.ts). */
export function createEngine(kind: EngineKind, opts: EngineOptions): GatewayInterface {
  return kind === 'hive-router' ? new HiveRouterEngine(opts) : new ApolloEngine(opts);
}
