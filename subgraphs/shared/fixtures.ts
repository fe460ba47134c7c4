import { createRequire } from 'node:module';
import { pino } from 'pino';
import { createSubgraphServer, type RunningServer, type SubgraphServerDeps } from './server.js';

// Apollo Server loads graphql's CommonJS build; a schema from the ESM build would be foreign to it.
const graphqlCjs = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/**
 * What the server's unit tests share: a subgraph server of one field (`greeting: "hello"`) on
 * a free port, with the settings a test gives. Not imported by any subgraph.
 */
export function startGreetingServer(
  name: string,
  deps: Partial<SubgraphServerDeps<object>> = {},
): Promise<RunningServer> {
  const schema = new graphqlCjs.GraphQLSchema({
    query: new graphqlCjs.GraphQLObjectType({
      name: 'Query',
      fields: { greeting: { type: graphqlCjs.GraphQLString, resolve: () => 'hello' } },
    }),
  });
  return createSubgraphServer({
    name,
    schema,
    logger: pino({ level: 'silent' }),
    createContext: () => ({}),
    ready: async () => {},
    ...deps,
  }).listen(0);
}
