/**
 * The reference point: stock @apollo/gateway on @apollo/server defaults (startStandaloneServer),
 * over the same supergraph. Nothing tuned.
 *
 *   PORT=… SUPERGRAPH_PATH=… node dist/bench/stock-gateway.js
 */
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { readFileSync } from 'node:fs';

process.env.APOLLO_TELEMETRY_DISABLED = '1';
// @apollo/gateway refuses supergraphs linking @authenticated/@requiresScopes `for: SECURITY`
// (it does not enforce them): the links are handed over as plain features, nothing else changes.
const supergraphSdl = readFileSync(
  process.env.SUPERGRAPH_PATH ?? 'schema/supergraph.graphql',
  'utf8',
).replace(
  /(@link\(\s*url:\s*"https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes)\/v[\d.]+"[^)]*?),\s*for:\s*SECURITY/g,
  '$1',
);
const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT ?? 4000), host: '127.0.0.1' },
});
console.log(`stock @apollo/gateway ready at ${url}`);

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
