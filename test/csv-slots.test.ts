import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHoldingProxy, type HoldingProxy } from './support/holding-proxy.js';
import { bootStack, type ExtraGateway, type Stack } from './support/stack.js';

/**
 * CSV downloads take the caller's slots (MAX_IN_FLIGHT_PER_CALLER) like /graphql requests:
 * each runs its pages in process for the caller, so without a slot one key could run any number
 * of them at once, the bound on its /graphql requests notwithstanding.
 */
let stack: Stack;
let proxy: HoldingProxy;
let gw: ExtraGateway;
beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124'] });
  // Places' fetches for Lishui's regions (3311…) wait until released.
  proxy = await startHoldingProxy(stack.subgraphs.places.url, '3311');
  gw = await stack.extraGateway(
    { MAX_IN_FLIGHT_PER_CALLER: '2', SUBGRAPH_RETRIES: '0' },
    { places: proxy.url },
  );
}, 240_000);
afterAll(async () => {
  await gw?.close();
  await proxy?.close();
  await stack?.close();
});

async function until(check: () => boolean, ms = 20_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('CSV downloads and MAX_IN_FLIGHT_PER_CALLER', () => {
  it("refuses a caller's CSV download past its slots and runs it once one is free", async () => {
    const origin = gw.url.replace('/graphql', '');
    const csv = (code: string) =>
      fetch(`${origin}/csv/region-children?code=${code}`, { headers: stack.steward });
    const running = [csv('331124'), csv('3311')];
    await until(() => proxy.held.length === 2);

    const refused = await csv('33');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.text()).toContain('CONCURRENCY_LIMITED');
    // Another caller is answered meanwhile.
    expect((await gw.query('{ region(code: "33") { name } }')).body.errors).toBeUndefined();

    proxy.release();
    for (const res of await Promise.all(running)) expect(res.status).toBe(200);
    expect((await csv('33')).status).toBe(200);
  });
});

describe('a CSV download whose client leaves', () => {
  it('fetches no page after the client has gone', async () => {
    // Songyang's villages are three pages; every places fetch of them waits here until released.
    const auditPath = join(mkdtempSync(join(tmpdir(), 'rdsg-csv-gone-')), 'audit.log');
    const pages = () =>
      (existsSync(auditPath) ? readFileSync(auditPath, 'utf8') : '')
        .split('\n')
        .filter((l) => l.includes('"operationName":"CsvRegionVillages"')).length;
    const holding = await startHoldingProxy(stack.subgraphs.places.url, '331124');
    const other = await stack.extraGateway({ AUDIT_LOG_PATH: auditPath }, { places: holding.url });
    try {
      const origin = other.url.replace('/graphql', '');
      const client = new AbortController();
      const download = fetch(`${origin}/csv/region-villages?regionCode=331124`, {
        headers: stack.steward,
        signal: client.signal,
      }).catch(() => 'left');
      await until(() => holding.held.length === 1); // the first page
      client.abort();
      expect(await download).toBe('left');
      holding.release();
      await until(() => pages() === 1);
      // The second page would follow at once; it used to be fetched, and the third after it.
      await until(() => holding.held.length > 0, 2_000).catch(() => undefined);
      expect(holding.held.length).toBe(0);
      expect(pages()).toBe(1);
    } finally {
      await other.close();
      await holding.close();
    }
  });
});

describe('a CSV download held up by a subgraph', () => {
  it('ends with an error at CSV_TIMEOUT_MS, not when the held fetch gives up', async () => {
    const holding = await startHoldingProxy(stack.subgraphs.places.url, '331124');
    const slow = await stack.extraGateway(
      { CSV_TIMEOUT_MS: '3000', SUBGRAPH_TIMEOUT_MS: '120000', SUBGRAPH_RETRIES: '0' },
      { places: holding.url },
    );
    try {
      const origin = slow.url.replace('/graphql', '');
      // Songyang's pages wait at the proxy until it closes; the subgraph timeout is 120 s.
      const res = await fetch(`${origin}/csv/region-villages?regionCode=331124`, {
        headers: stack.steward,
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors.map((e) => e.extensions.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    } finally {
      await slow.close();
      await holding.close();
    }
  }, 60_000);
});
