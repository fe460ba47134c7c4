import { existsSync, mkdirSync } from 'node:fs';
import { pino } from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../gateway/config.js';
import { createGateway } from '../gateway/gateway.js';
import { bootStack, type Stack } from './support/stack.js';

// Haishu district (Ningbo), home of Houcang village, the first example.
let stack: Stack;
let origin: string;

beforeAll(async () => {
  stack = await bootStack({ scopes: ['330203'] });
  origin = `http://127.0.0.1:${stack.gateway.port}`;
});
afterAll(() => stack?.close());

/** Every URL a response mentions, by host. */
function outsideUrls(text: string, ownHost: string): Map<string, string[]> {
  const hosts = new Map<string, string[]>();
  for (const m of text.matchAll(/https?:\/\/([a-z0-9.-]+)(?::\d+)?[^\s"'`)\\]*/gi)) {
    const host = m[1].toLowerCase();
    if (host === ownHost) continue;
    hosts.set(host, [...(hosts.get(host) ?? []), m[0]].slice(0, 3));
  }
  return hosts;
}

async function getPage() {
  const res = await fetch(`${origin}/graphql`, { headers: { accept: 'text/html' } });
  return { res, html: await res.text() };
}

/** The same-origin URLs the page loads: its src/href attributes and the Monaco workers. */
function assetUrls(html: string): string[] {
  const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  const hash = html.match(/data-assets="([0-9a-f]+)"/)?.[1];
  const workers = ['editor.worker.js', 'json.worker.js', 'graphql.worker.js'].map(
    (w) => `graphiql/${hash}/${w}`,
  );
  return [...refs, ...workers].map((r) => new URL(r, `${origin}/graphql`).href);
}

describe('GraphiQL page', () => {
  it('is served to browsers at the GraphQL endpoint, with a same-origin-only policy', async () => {
    const { res, html } = await getPage();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(html).toContain('<div id="root"></div>');
    // The examples open as tabs, with the API-key header prefilled.
    expect(html).toContain('query VillageProfile');
    expect(html).toContain('\\"x-api-key\\": \\"\\"');
  });

  it('keeps GraphQL over POST and GET working at the same URL', async () => {
    const post = await stack.query('{ village(code: "330203009205") { name } }');
    expect(post.body).toEqual({ data: { village: { name: '后仓村村委会' } } });
    const get = await fetch(
      `${origin}/graphql?query=${encodeURIComponent('{ village(code: "330203009205") { name } }')}`,
      { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } },
    );
    expect(await get.json()).toEqual({ data: { village: { name: '后仓村村委会' } } });
    // A client that accepts HTML only after JSON gets GraphQL; a browser reloading GraphiQL
    // (which keeps the operation in the page URL) gets the page.
    const client = await fetch(`${origin}/graphql?query=%7B__typename%7D`, {
      headers: { accept: 'application/json, text/html', 'apollo-require-preflight': 'true' },
    });
    expect(await client.json()).toEqual({ data: { __typename: 'Query' } });
    const reload = await fetch(`${origin}/graphql?query=%7B__typename%7D`, {
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    expect(await reload.text()).toContain('<div id="root"></div>');
  });

  it('references no outside host in the page, its scripts or its style sheet', async () => {
    const { html } = await getPage();
    const own = '127.0.0.1';
    expect([...outsideUrls(html, own).keys()]).toEqual([]);
    const urls = assetUrls(html);
    expect(urls.length).toBe(8); // favicon, css, setup, bundle, start, 3 workers
    const foundInBundles = new Map<string, string[]>();
    for (const url of urls) {
      expect(new URL(url).host).toBe(new URL(origin).host);
      const res = await fetch(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      if (url.endsWith('.worker.js')) {
        // A worker is governed by its own response's policy, not by the page's.
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp, url).toContain("default-src 'none'");
        expect(csp, url).toContain("connect-src 'self'");
      }
      if (url.endsWith('.ico')) continue;
      const text = await res.text();
      if (url.endsWith('.css')) {
        // A style sheet fetches whatever url() or @import names: only data: URLs are allowed.
        expect(text).not.toMatch(/@import/);
        expect(text.match(/url\(\s*['"]?(?!data:)[^)]*\)/g) ?? []).toEqual([]);
      }
      if (/(setup|start)\.js$/.test(url)) expect([...outsideUrls(text, own).keys()]).toEqual([]);
      for (const [host, examples] of outsideUrls(text, own)) foundInBundles.set(host, examples);
    }
    // The GraphiQL bundle mentions hosts only as XML namespaces, JSON-schema ids, links in docs,
    // licence and error texts, never as something to load; the browser test below proves none is
    // fetched, and the page's Content-Security-Policy would refuse it. No CDN is named at all.
    const cdn = /unpkg|jsdelivr|cdnjs|esm\.sh|skypack|googleapis|gstatic|cloudflare|jspm/;
    expect([...foundInBundles.keys()].filter((h) => cdn.test(h))).toEqual([]);
  });

  it('serves assets only at their current hash and gzips them for clients that accept it', async () => {
    const { html } = await getPage();
    const js = assetUrls(html).find((u) => u.endsWith('/graphiql.js'))!;
    const zipped = await fetch(js, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect((await zipped.text()).length).toBeGreaterThan(1_000_000);
    const stale = await fetch(js.replace(/\/graphiql\/[0-9a-f]+\//, '/graphiql/0000000000000000/'));
    expect(stale.status).toBe(404);
  });

  it('is not served when GRAPHIQL=false, and Apollo’s own landing page stays off', async () => {
    const gateway = await createGateway(
      loadGatewayConfig({ PORT: '0', HOST: '127.0.0.1', GRAPHIQL: 'false', LOG_LEVEL: 'silent' }),
      pino({ level: 'silent' }),
    ).listen();
    try {
      const res = await fetch(`http://127.0.0.1:${gateway.port}/graphql`, {
        headers: { accept: 'text/html' },
      });
      const text = await res.text();
      expect(res.headers.get('content-type')).not.toMatch(/text\/html/);
      expect(text).not.toMatch(/<html|apollo.*(sandbox|embed)|cdn/i);
    } finally {
      await gateway.close();
    }
  });
});

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.error(
    `GraphiQL browser test skipped: ${CHROMIUM} is not installed (apt-get install -y chromium).`,
  );
}

describe.skipIf(!hasChromium)('GraphiQL in headless Chromium, outside network blocked', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(() => browser?.close());

  it('runs the village-profile example and shows Houcang in the result pane', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const own = new URL(origin).host;
    const requested: string[] = [];
    const blocked: string[] = [];
    const apiKeyHeaders: (string | undefined)[] = [];
    const problems: string[] = [];
    // On the context, so requests of workers are covered as well as the page's.
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.host === own) return route.continue();
      blocked.push(url.href);
      return route.abort('blockedbyclient');
    });
    context.on('request', (r) => {
      requested.push(r.url());
      if (r.method() === 'POST' && r.postData()?.includes('VillageProfile')) {
        apiKeyHeaders.push(r.headers()['x-api-key']);
      }
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${origin}/graphql`);
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ state: 'visible', timeout: 30_000 });
    // The first tab holds the VillageProfile example.
    await page.locator('.graphiql-query-editor').getByText('VillageProfile').first().waitFor();
    await run.click();
    mkdirSync('test-results', { recursive: true });
    try {
      await page
        .locator('.graphiql-response')
        .filter({ hasText: '后仓村村委会' })
        .waitFor({ timeout: 30_000 });
    } catch (err) {
      // Keep what the browser showed, and what it said, for whoever reads the failure.
      await page.screenshot({ path: 'test-results/graphiql-failure.png', fullPage: true });
      console.error({ problems, blocked, requested });
      throw err;
    }
    await page.screenshot({ path: 'test-results/graphiql-village-profile.png', fullPage: true });
    // Each editor worker asked to reach another host: its own policy refuses before any
    // request is made (without one, the request went out and only the route above stopped it).
    expect(page.workers().length).toBeGreaterThan(0);
    for (const worker of page.workers()) {
      await worker.evaluate(() => fetch('http://203.0.113.7/probe').catch(() => 'refused'));
    }
    const response = await page.locator('.graphiql-response').textContent();
    expect(response).toContain('330203009205');
    expect(apiKeyHeaders).toEqual(['']);
    expect(blocked).toEqual([]);
    const foreign = requested.filter((u) => !/^(blob|data):/.test(u) && new URL(u).host !== own);
    expect(foreign).toEqual([]);
    expect(problems.filter((p) => /Content Security Policy|Refused/i.test(p))).toEqual([]);
    await context.close();
  });
});
