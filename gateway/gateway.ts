import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config.js';
import { CSV_OPERATIONS } from './csv-operations.js';
import { createCsvExport, loopbackGraphqlUrl } from './csv.js';
import { SubgraphDataSource, type GatewayContext } from './datasource.js';
import { formatGatewayError } from './errors.js';
import { readyExamples } from './examples.js';
import { createGraphiQL } from './graphiql.js';

export interface RunningGateway {
  url: string;
  port: number;
  close: () => Promise<void>;
}

class BodyTooLargeError extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function errorBody(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}

/** Subgraph names and URLs as recorded in the supergraph's join__Graph enum. */
export function subgraphsOf(supergraphSdl: string): { name: string; url: string }[] {
  const out: { name: string; url: string }[] = [];
  for (const m of supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g)) {
    out.push({ name: m[1], url: m[2] });
  }
  return out;
}

/**
 * The gateway: Apollo Server running @apollo/gateway over the committed supergraph, served at
 * `/graphql` with `/healthz` and `/readyz`. No I/O happens until `listen`.
 */
export function createGateway(config: GatewayConfig, logger: Logger) {
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const subgraphs = subgraphsOf(supergraphSdl).map((s) => ({
    name: s.name,
    url: config.subgraphUrls[s.name as keyof GatewayConfig['subgraphUrls']] ?? s.url,
  }));
  const urlOf = new Map(subgraphs.map((s) => [s.name, s.url]));

  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name, url }) =>
      new SubgraphDataSource(name, urlOf.get(name) ?? url!, config.subgraphTimeoutMs, logger),
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    plugins: [ApolloServerPluginLandingPageDisabled()],
    formatError: (formatted, error) => {
      const { error: out, masked } = formatGatewayError(formatted, undefined);
      if (masked) logger.error({ err: error, path: formatted.path }, 'masked error');
      return out;
    },
  });

  // Analyst and frontend routes: GraphiQL (gateway/graphiql.ts) and CSV downloads (gateway/csv.ts).
  const graphiql = config.graphiql ? createGraphiQL({ examples: readyExamples() }) : undefined;
  let selfGraphqlUrl = '';
  const csv = createCsvExport({
    operations: CSV_OPERATIONS,
    graphqlUrl: () => selfGraphqlUrl,
    maxRows: config.csvMaxRows,
  });

  async function subgraphsReady(): Promise<string[]> {
    const down: string[] = [];
    await Promise.all(
      subgraphs.map(async (s) => {
        try {
          const res = await fetch(s.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ __typename }' }),
            signal: AbortSignal.timeout(2_000),
          });
          if (!res.ok) down.push(s.name);
          await res.arrayBuffer();
        } catch {
          down.push(s.name);
        }
      }),
    );
    return down;
  }

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, requestId: string) {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = new URL(req.url ?? '/', 'http://gateway');
    let body: unknown = undefined;
    if (req.method === 'POST') {
      const text = await readBody(req, config.maxBodyBytes);
      try {
        body = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        return sendJson(res, 400, errorBody('Malformed JSON body.', 'BAD_REQUEST'));
      }
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => ({ requestId }),
    });
    for (const [key, value] of result.headers) res.setHeader(key, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') return void res.end(result.body.string);
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }

  let started = false;
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const incoming = req.headers['x-request-id'];
    const requestId =
      typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (path === '/readyz') {
        const down = started ? await subgraphsReady() : ['supergraph'];
        return sendJson(res, down.length ? 503 : 200, {
          status: down.length ? 'unavailable' : 'ready',
          ...(down.length ? { unavailable: down } : {}),
        });
      }
      if (path === '/graphql' && graphiql?.wantsPage(req))
        return await graphiql.servePage(req, res);
      if (graphiql?.isAsset(path)) return await graphiql.serveAsset(req, res, path);
      if (csv.matches(path)) return await csv.handle(req, res, path, requestId);
      if (path === '/graphql') return await handleGraphQL(req, res, requestId);
      sendJson(res, 404, errorBody('Not found. The GraphQL endpoint is /graphql.', 'NOT_FOUND'));
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        return sendJson(res, 413, errorBody('Request body too large.', 'PAYLOAD_TOO_LARGE'));
      }
      logger.error({ err, requestId }, 'request failed');
      if (!res.headersSent)
        sendJson(res, 500, errorBody('Internal server error', 'INTERNAL_SERVER_ERROR'));
      else res.end();
    }
  }

  let server: Server | undefined;
  return {
    subgraphs,
    async listen(): Promise<RunningGateway> {
      await apollo.start();
      started = true;
      server = createServer((req, res) => void handle(req, res));
      server.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve) => server!.listen(config.port, config.host, resolve));
      const port = (server.address() as AddressInfo).port;
      selfGraphqlUrl = loopbackGraphqlUrl(server.address() as AddressInfo);
      const url = `http://localhost:${port}/graphql`;
      return {
        url,
        port,
        close: async () => {
          await new Promise<void>((resolve) => {
            server!.close(() => resolve());
            server!.closeIdleConnections();
          });
          await apollo.stop();
        },
      };
    },
  };
}
