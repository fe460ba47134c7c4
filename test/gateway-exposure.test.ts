import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../gateway/auth/keys.js';
import { DEV_GATEWAY_SHARED_SECRET } from '../contract/identity.js';
import type { RunningServer } from '../subgraphs/shared/server.js';
import { roomInMinute } from './support/clock.js';
import { TEST_JWT_AUDIENCE, TEST_JWT_ISSUER, testJwt } from './support/jwt.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import {
  NOTES_SDL,
  PAINT_SDL,
  startPaintSubgraph,
  startNotesSubgraph,
  writeSupergraph,
  type NotesSubgraph,
} from './support/notes-subgraph.js';

/**
 * The gateway as it is exposed: production mode, behind a trusted proxy (loopback here), with
 * a response cache, JWTs and an audit log. Each anonymous test speaks as its own client address
 * (X-Forwarded-For from the trusted proxy), so the anonymous quota of 3/min is per test.
 */
const JWT_SECRET = 'a-test-only-hs256-secret-of-at-least-32-chars';
const dir = mkdtempSync(join(tmpdir(), 'rdsg-exposure-'));
const keysPath = join(dir, 'keys.json');
const auditPath = join(dir, 'audit.log');

let notes: NotesSubgraph;
let paint: RunningServer;
let gw: TestGateway;
let dev: TestGateway;
let base: string;
let operator: string;
let partner: string;

const PRODUCTION = {
  NODE_ENV: 'production',
  GATEWAY_SHARED_SECRET: DEV_GATEWAY_SHARED_SECRET,
  OPERATOR_PORT: '0',
  KEYS_PATH: keysPath,
  KEYS_RELOAD_MS: '0',
  JWT_SECRET,
  JWT_ISSUER: TEST_JWT_ISSUER,
  JWT_AUDIENCE: TEST_JWT_AUDIENCE,
  JWT_MAX_LIFETIME_S: '3600',
  AUDIT_LOG_PATH: auditPath,
  TRUST_PROXY: '127.0.0.1',
  ANONYMOUS_RATE_LIMIT_PER_MINUTE: '3',
  ANONYMOUS_DAILY_QUOTA: '0',
  RESPONSE_CACHE: 'memory',
};

beforeAll(async () => {
  notes = await startNotesSubgraph(DEV_GATEWAY_SHARED_SECRET, 60);
  paint = await startPaintSubgraph(DEV_GATEWAY_SHARED_SECRET);
  const supergraph = writeSupergraph([
    { name: 'notes', url: notes.url, sdl: NOTES_SDL },
    { name: 'paint', url: paint.url, sdl: PAINT_SDL },
  ]);
  partner = (
    await new FileKeyStore(keysPath, 0).create({ name: 'partner', owner: 'acme', scopes: [] })
  ).key;
  gw = await startGateway({ ...PRODUCTION, SUPERGRAPH_PATH: supergraph });
  dev = await startGateway({ SUPERGRAPH_PATH: supergraph });
  base = `http://127.0.0.1:${gw.running.port}`;
  operator = `http://127.0.0.1:${gw.running.operatorPort}`;
});
afterAll(async () => {
  await gw?.close();
  await dev?.close();
  await notes?.close();
  await paint?.close();
});

/** Headers of an anonymous client at `address`, as the trusted proxy (loopback) sends them. */
const from = (forwardedFor: string) => ({ 'x-forwarded-for': forwardedFor });

async function post(
  target: TestGateway,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { data?: unknown; errors?: { message: string }[] } }> {
  const res = await target.post(JSON.stringify(body), headers);
  return { status: res.status, body: (await res.json()) as never };
}

/** A token living `lifetime` seconds from now (no `exp` without one). */
const jwt = (claims: Record<string, unknown>, lifetime?: number) =>
  testJwt(
    JWT_SECRET,
    claims,
    lifetime === undefined ? undefined : Math.floor(Date.now() / 1000) + lifetime,
  );

async function metricsText(): Promise<string> {
  const res = await fetch(`${operator}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

describe('callers counted as themselves behind a trusted proxy', () => {
  it('takes the rightmost untrusted hop: spoofed leftmost hops neither escape nor lock out', async () => {
    const hello = { query: '{ hello }' };
    // Seven requests must fall in one rate window (three a minute per caller).
    await roomInMinute(10_000);
    // One client, a new invented address in front each time: still one client.
    for (let i = 0; i < 3; i++) {
      const r = await post(gw, hello, from(`10.9.9.${i}, 203.0.113.7`));
      expect(r.status).toBe(200);
    }
    const fourth = await gw.post(JSON.stringify(hello), from('10.9.9.99, 203.0.113.7'));
    expect(fourth.status).toBe(429);
    expect(fourth.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await post(gw, hello, from('203.0.113.7'))).status).toBe(429);
    // The client named a victim first; the victim's own quota is untouched.
    expect((await post(gw, hello, from('203.0.113.8, 203.0.113.7'))).status).toBe(429);
    expect((await post(gw, hello, from('203.0.113.8'))).status).toBe(200);
  });

  it('counts an IPv6 caller as its /64: another address of the same network is no escape', async () => {
    const hello = { query: '{ hello }' };
    await roomInMinute(10_000);
    for (let i = 1; i <= 3; i++) {
      expect((await post(gw, hello, from(`2001:db8:77:1::${i}`))).status).toBe(200);
    }
    expect((await post(gw, hello, from('2001:db8:77:1:ffff:1:2:3'))).status).toBe(429);
    expect((await post(gw, hello, from('2001:db8:77:2::1'))).status).toBe(200);
  });
});

describe('production mode is closed', () => {
  it('gives no "Did you mean" in validation or variable-coercion errors', async () => {
    const cases: [unknown, string][] = [
      [{ query: '{ helo }' }, 'validation'],
      [{ query: '{ paint(color: REDD) }' }, 'enum literal'],
      [
        { query: 'query P($c: Color!) { paint(color: $c) }', variables: { c: 'REDD' } },
        'enum value',
      ],
      [
        { query: 'query F($f: Filter!) { find(filter: $f) }', variables: { f: { nam: 'x' } } },
        'input field',
      ],
      [
        {
          query: 'query F($f: Filter!) { find(filter: $f) }',
          variables: { f: { color: 'GREN' } },
        },
        'enum in an input',
      ],
    ];
    for (const [i, [body, what]] of cases.entries()) {
      // Development shows the hint, so each case does reach an error that carries one.
      const hinted = await post(dev, body);
      expect(JSON.stringify(hinted.body.errors), what).toMatch(/Did you mean/);
      const closed = await post(gw, body, from(`198.51.100.${10 + i}`));
      expect(closed.body.errors?.length, what).toBeGreaterThan(0);
      expect(JSON.stringify(closed.body), what).not.toMatch(/Did you mean/);
    }
  });

  it('answers /readyz without detail and /metrics only on the operator listener', async () => {
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    expect(await (await fetch(`${operator}/readyz`)).json()).toEqual({ status: 'ready' });
    expect(await metricsText()).toMatch(/^gateway_graphql_requests_total\{/m);
    expect(gw.running.operatorPort).not.toBe(gw.running.port);

    // A gateway with a subgraph down waits for it at start; the public answer names nothing.
    const ghost = writeSupergraph([
      { name: 'notes', url: notes.url, sdl: NOTES_SDL },
      {
        name: 'ghost',
        url: 'http://127.0.0.1:9/graphql',
        sdl: 'type Query { "Nothing." ghost: String }',
      },
    ]);
    const down = await startGateway({
      ...PRODUCTION,
      SUPERGRAPH_PATH: ghost,
      READINESS_WAIT_MS: '1500',
    });
    const readyz = async (port?: number) => {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      return [res.status, await res.json()];
    };
    try {
      expect(await readyz(down.running.port)).toEqual([503, { status: 'unavailable' }]);
      const op = await readyz(down.running.operatorPort);
      expect(op).toEqual([503, { status: 'unavailable', unavailable: ['ghost'] }]);
      // After the wait a subgraph down degrades this replica, as it does every other one: it
      // stays in the balancer and answers what the other subgraphs can.
      await new Promise((resolve) => setTimeout(resolve, 2_600));
      expect(await readyz(down.running.port)).toEqual([200, { status: 'ready' }]);
      const later = await readyz(down.running.operatorPort);
      expect(later).toEqual([200, { status: 'ready', degraded: ['ghost'] }]);
      const partial = await post(down, { query: '{ hello }' }, from('203.0.113.50'));
      expect(partial).toMatchObject({ status: 200, body: { data: { hello: expect.any(String) } } });
    } finally {
      await down.close();
    }
  });

  it('labels metrics with known operations only: strangers cannot fill the label space', async () => {
    for (let i = 0; i < 40; i++) {
      const r = await post(gw, { query: `query Stranger${i} { hello }` }, from(`192.0.2.${i}`));
      expect(r.status).toBe(200);
    }
    const own = await post(
      gw,
      { query: 'query PartnerReport { hello }' },
      { 'x-api-key': partner },
    );
    expect(own.status).toBe(200);
    const text = await metricsText();
    const labels = new Set(
      [...text.matchAll(/^gateway_graphql_requests_total\{operation="([^"]*)"/gm)].map((m) => m[1]),
    );
    expect([...labels].filter((l) => l.startsWith('Stranger'))).toEqual([]);
    expect(labels).toContain('(other)');
    expect(labels).toContain('PartnerReport');
  });

  it('applies CSRF prevention before the response cache', async () => {
    const query = 'query Cached { notes { id text } }';
    const hits = async () =>
      Number(/^gateway_cache_hits_total\{cache="response"\} (\d+)/m.exec(await metricsText())?.[1]);
    expect((await post(gw, { query }, from('198.51.100.40'))).status).toBe(200);
    const before = await hits();
    expect((await post(gw, { query }, from('198.51.100.41'))).status).toBe(200);
    expect(await hits()).toBe(before + 1); // the answer is cached now

    const textPlain = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...from('198.51.100.42') },
      body: JSON.stringify({ query }),
    });
    expect(textPlain.status).toBe(400);
    expect(await textPlain.text()).toMatch(/Cross-Site Request Forgery/);
    const url = `${base}/graphql?query=${encodeURIComponent(query)}`;
    const get = await fetch(url, { headers: from('198.51.100.43') });
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/Cross-Site Request Forgery/);
    const preflighted = await fetch(url, {
      headers: { 'apollo-require-preflight': 'true', ...from('198.51.100.43') },
    });
    expect(preflighted.status).toBe(200);
  });

  it('refuses a JWT without exp or living longer than JWT_MAX_LIFETIME_S', async () => {
    const call = async (token: string) =>
      post(gw, { query: '{ hello }' }, { authorization: `Bearer ${token}` });
    const forever = await call(await jwt({}));
    expect(forever.status).toBe(401);
    expect(forever.body.errors?.[0].message).toMatch(/no expiry/);
    expect((await call(await jwt({}, 2 * 3600))).status).toBe(401);
    expect((await call(await jwt({}, 300))).status).toBe(200);
  });

  it('normalises scope sets: ["a b"] and ["b","a"] are the same set, whoever comes first', async () => {
    const query = '{ notes { id remark } }';
    const spaced = await jwt({ scp: ['notes:admin notes:write'] }, 300);
    const listed = await jwt({ scp: ['notes:write', 'notes:admin', 'notes:write'] }, 300);
    for (const token of [spaced, listed]) {
      const r = await post(gw, { query }, { authorization: `Bearer ${token}` });
      expect(r.body).toEqual({ data: { notes: [{ id: '1', remark: 'fine' }] } });
    }
  });

  it('writes caller-chosen strings to the audit log truncated', async () => {
    const name = 'O'.repeat(900_000);
    const res = await gw.post(JSON.stringify({ query: '{ hello }', operationName: name }), {
      ...from('198.51.100.60'),
      'x-request-id': 'long-operation-name',
    });
    expect(res.status).toBe(400);
    const line = readFileSync(auditPath, 'utf8')
      .split('\n')
      .find((l) => l.includes('"long-operation-name"'));
    expect(line).toBeDefined();
    expect(line!.length).toBeLessThan(2_000);
    const entry = JSON.parse(line!) as { operationName: string; caller: string };
    expect(entry.operationName).toMatch(/^O+…\(900000 chars\)$/);
    expect(entry.caller).toBe('anon:198.51.100.60');
  });

  it('answers malformed URLs with 400 on every route', async () => {
    for (const path of ['/csv/%E0%A4%A', '/graphql?query=%E0%A4%A', '/%E0%A4%A', '/readyz%ZZ']) {
      const res = await fetch(`${base}${path}`, { headers: from('198.51.100.70') });
      expect(res.status, path).toBe(400);
      expect(
        ((await res.json()) as { errors: { extensions: object }[] }).errors[0].extensions,
      ).toEqual({
        code: 'BAD_REQUEST',
      });
    }
  });
});
