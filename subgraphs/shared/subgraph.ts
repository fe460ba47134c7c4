import type { HeldScope } from './loaded-scope.js';
import type { BaseContext } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { EntityManager, MigrationSets, Orm } from './database.js';
import type { Logger } from './logger.js';
import type { RequestInfo } from './server.js';

export interface SeedOptions {
  /** `national`, `zhejiang` or a region code. */
  scope: string;
  /** Seed of the synthetic data generator; the same seed reproduces the same data. */
  seed: number;
  /** Called as rows are written; `total` when the seeder knows it in advance. */
  progress?: (table: string, rowsDone: number, total?: number) => void;
}

export interface SeedResult {
  rows: Record<string, number>;
  /** Seconds spent per phase (e.g. delete, write, indexes, rollups), where the seeder measures. */
  seconds?: Record<string, number>;
}

/** What a subgraph may call besides its database: the other subgraphs, signing as a service. */
export interface SubgraphServices {
  /** URLs of the other subgraphs it reads (places: the domains' change outboxes). */
  peers: Partial<Record<string, string>>;
  /** Key of the signed identity header (contract/identity.ts). */
  sharedSecret: string;
  /** The key before it while it is rotated (GATEWAY_SHARED_SECRET_PREVIOUS), accepted too. */
  previousSecret?: string;
  /** The subgraph's loaded scopes (loaded-scope.ts): a domain's, or places' (Region.loadedScopes). */
  heldScope?: HeldScope;
}

/** Everything the shared bootstrap, the schema tools and the seeder need from one subgraph. */
export interface SubgraphDefinition<TContext extends BaseContext = BaseContext> {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  migrations: MigrationSets;
  buildSchema: () => Promise<GraphQLSchema>;
  createContext: (
    em: EntityManager,
    log: Logger,
    req: RequestInfo,
    services: SubgraphServices,
  ) => TContext;
  seed: (orm: Orm, opts: SeedOptions) => Promise<SeedResult>;
}
