import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { ExampleOperation } from './examples.js';

const gzip = promisify(gzipCb);

/**
 * GraphiQL served by the gateway itself, fully offline: the page is a few lines of HTML and every
 * script, style sheet, worker and icon it loads comes from the GraphiQL bundle shipped in
 * `@graphql-yoga/render-graphiql` (node_modules), under `/graphiql/<hash>/`. Its own
 * `renderGraphiQL` inlines that 9 MB bundle into every page; split out, the bundle is sent once,
 * compressed and cached, and the page can carry a Content-Security-Policy that lets the browser
 * reach this origin only.
 */
export interface GraphiQL {
  /** Whether this request asks for the page (a browser navigating to the GraphQL endpoint). */
  wantsPage(req: IncomingMessage): boolean;
  /** Whether the path is one of the page's assets. */
  isAsset(path: string): boolean;
  servePage(req: IncomingMessage, res: ServerResponse): Promise<void>;
  serveAsset(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

export const GRAPHIQL_ASSET_PREFIX = '/graphiql/';

/** The browser may load and contact this origin only (plus data: fonts/images and blob: workers). */
export const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The Monaco editor workers' own policy. A worker loaded from a URL is governed by the policy
 * of its own response, not by the page's: without one, a worker could connect anywhere.
 */
export const GRAPHIQL_WORKER_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'";

interface Asset {
  type: string;
  body: Buffer;
  gzipped: Buffer;
}

// Runs before the bundle: tells Monaco where its workers are (same origin, hashed paths).
const SETUP_JS = `(function () {
  var base = new URL('graphiql/' + document.documentElement.dataset.assets + '/', document.baseURI);
  var workers = {
    editorWorkerService: new URL('editor.worker.js', base).href,
    json: new URL('json.worker.js', base).href,
    graphql: new URL('graphql.worker.js', base).href,
  };
  self.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: function (_moduleId, label) { return workers[label]; },
  };
})();
`;

// Runs after the bundle: renders GraphiQL with the options embedded in the page as JSON.
const START_JS = `(function () {
  var options = JSON.parse(document.getElementById('graphiql-options').textContent);
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);
})();
`;

/** JSON that is safe inside a <script> element (no `</script>`, no HTML comment openers). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The options GraphiQL starts with: one tab per example, the API-key header prefilled. */
export function graphiqlOptions(examples: ExampleOperation[], title: string) {
  const headers = JSON.stringify({ 'x-api-key': '' }, null, 2);
  const tabs = examples.map((e) => ({
    query: e.document,
    variables: e.variables ? JSON.stringify(e.variables, null, 2) : null,
    headers,
  }));
  return {
    title,
    // Relative, so the page also works behind a reverse proxy that adds a path prefix.
    endpoint: 'graphql',
    headers,
    defaultHeaders: headers,
    isHeadersEditorEnabled: true,
    // Keys typed into the headers editor stay in this tab's memory, not in localStorage.
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: true,
    defaultTabs: tabs,
    // GraphiQL fills the first tab's variables from here, not from defaultTabs.
    variables: tabs[0]?.variables ?? undefined,
  };
}

export function createGraphiQL(opts: { examples: ExampleOperation[]; title?: string }): GraphiQL {
  const title = opts.title ?? 'Rural digital services graph — GraphiQL';
  let loaded: Promise<{ hash: string; assets: Map<string, Asset>; page: Asset }> | undefined;

  // The bundle is loaded on the first visit, not at gateway start: most gateways never show it.
  async function load() {
    const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
    const favicon = bundle.favicon.match(/^data:([^;,]+);base64,(.*)$/s);
    const sources: [string, string, string | Buffer][] = [
      ['setup.js', 'text/javascript; charset=utf-8', SETUP_JS],
      ['graphiql.js', 'text/javascript; charset=utf-8', bundle.js],
      ['start.js', 'text/javascript; charset=utf-8', START_JS],
      ['graphiql.css', 'text/css; charset=utf-8', bundle.css],
      ['editor.worker.js', 'text/javascript; charset=utf-8', bundle.editorWorkerService],
      ['json.worker.js', 'text/javascript; charset=utf-8', bundle.jsonWorker],
      ['graphql.worker.js', 'text/javascript; charset=utf-8', bundle.graphqlWorker],
    ];
    if (favicon) sources.push(['favicon.ico', favicon[1], Buffer.from(favicon[2], 'base64')]);
    const digest = createHash('sha256');
    const assets = new Map<string, Asset>();
    for (const [name, type, text] of sources) {
      const body = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
      digest.update(name).update(body);
      assets.set(name, { type, body, gzipped: await gzip(body) });
    }
    const hash = digest.digest('hex').slice(0, 16);
    const a = (name: string) => `graphiql/${hash}/${name}`;
    const html = `<!doctype html>
<html lang="en" data-assets="${hash}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(title)}</title>
    ${favicon ? `<link rel="icon" href="${a('favicon.ico')}" />` : ''}
    <link rel="stylesheet" href="${a('graphiql.css')}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript. The GraphQL endpoint itself is this URL (POST).</noscript>
    <div id="root"></div>
    <script type="application/json" id="graphiql-options">${scriptJson(graphiqlOptions(opts.examples, title))}</script>
    <script src="${a('setup.js')}"></script>
    <script src="${a('graphiql.js')}"></script>
    <script src="${a('start.js')}"></script>
  </body>
</html>
`;
    const pageBody = Buffer.from(html, 'utf8');
    const page = {
      type: 'text/html; charset=utf-8',
      body: pageBody,
      gzipped: await gzip(pageBody),
    };
    return { hash, assets, page };
  }

  function send(
    req: IncomingMessage,
    res: ServerResponse,
    asset: Asset,
    headers: Record<string, string>,
  ) {
    const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = acceptsGzip ? asset.gzipped : asset.body;
    res.writeHead(200, {
      'content-type': asset.type,
      'content-length': String(body.length),
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
      ...(acceptsGzip ? { 'content-encoding': 'gzip' } : {}),
      ...headers,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  return {
    wantsPage(req) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      // A browser navigating here lists text/html first; GraphQL clients ask for JSON. GraphiQL
      // keeps the edited operation in the page URL (?query=), so that alone decides nothing.
      const first = String(req.headers.accept ?? '')
        .split(',')[0]
        .split(';')[0]
        .trim();
      return first === 'text/html';
    },
    isAsset(path) {
      return path.startsWith(GRAPHIQL_ASSET_PREFIX);
    },
    async servePage(req, res) {
      loaded ??= load();
      const { page } = await loaded;
      send(req, res, page, {
        'content-security-policy': GRAPHIQL_CSP,
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-cache',
      });
    },
    async serveAsset(req, res, path) {
      loaded ??= load();
      const { hash, assets } = await loaded;
      const [, , assetHash, name] = path.split('/');
      const asset = assets.get(name ?? '');
      if (
        (req.method !== 'GET' && req.method !== 'HEAD') ||
        assetHash !== hash ||
        !asset ||
        path.split('/').length !== 4
      ) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        return void res.end('Not found.');
      }
      // The hash in the path changes with the content, so an asset never changes at its URL.
      send(req, res, asset, {
        'cache-control': 'public, max-age=31536000, immutable',
        ...(name.endsWith('.worker.js') ? { 'content-security-policy': GRAPHIQL_WORKER_CSP } : {}),
      });
    },
  };
}
