import { pino } from 'pino';
import { loadGatewayConfig } from '../../gateway/config.js';
import { createGateway, type RunningGateway } from '../../gateway/gateway.js';
import { commerceSubgraph } from '../../subgraphs/commerce/index.js';
import { cultureSubgraph } from '../../subgraphs/culture/index.js';
import { healthcareSubgraph } from '../../subgraphs/healthcare/index.js';
import { placesSubgraph } from '../../subgraphs/places/index.js';
import {
  bootSubgraph,
  postGraphQL,
  type BootedSubgraph,
  type GraphQLResponse,
} from './subgraph.js';

export interface Stack {
  gateway: RunningGateway;
  subgraphs: Record<'places' | 'culture' | 'healthcare' | 'commerce', BootedSubgraph>;
  query: <T = Record<string, unknown>>(
    q: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ) => Promise<GraphQLResponse<T>>;
  close: () => Promise<void>;
}

/**
 * The whole product in-process: four subgraphs on their own fresh databases and the gateway
 * over the committed supergraph, all on free ports, talking real HTTP.
 */
export async function bootStack(opts: {
  scopes: string[];
  env?: NodeJS.ProcessEnv;
}): Promise<Stack> {
  const [places, culture, healthcare, commerce] = await Promise.all(
    [placesSubgraph, cultureSubgraph, healthcareSubgraph, commerceSubgraph].map((def) =>
      bootSubgraph(def as never, { scopes: opts.scopes }),
    ),
  );
  const subgraphs = { places, culture, healthcare, commerce };
  const config = loadGatewayConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    PLACES_URL: places.url,
    CULTURE_URL: culture.url,
    HEALTHCARE_URL: healthcare.url,
    COMMERCE_URL: commerce.url,
    ...opts.env,
  });
  const gateway = await createGateway(config, pino({ level: 'silent' })).listen();
  const url = `http://127.0.0.1:${gateway.port}/graphql`;
  return {
    gateway,
    subgraphs,
    query: (q, variables, headers) => postGraphQL(url, q, variables, headers),
    close: async () => {
      await gateway.close();
      await Promise.all(Object.values(subgraphs).map((s) => s.close()));
    },
  };
}
