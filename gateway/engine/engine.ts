import { ApolloGateway } from '@apollo/gateway';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { HiveRouterEngine } from './hive-router.js';
import type { EngineKind, EngineOptions } from './options.js';
import { supergraphFromFile } from './supergraph.js';

/** The engine of this kind over the supergraph file (options.ts). */
export function createEngine(kind: EngineKind, opts: EngineOptions): GatewayInterface {
  if (kind === 'hive-router') return new HiveRouterEngine(opts);
  return new ApolloGateway({
    supergraphSdl: supergraphFromFile(opts.supergraphPath, opts.watch, opts.logger),
    logger: opts.logger,
    buildService: ({ name, url }) => opts.buildSource({ name, url: url! }),
  });
}
