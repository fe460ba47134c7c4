import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootStack, type ExtraGateway, type Stack } from './support/stack.js';

/**
 * A CSV download costs its caller one request of its quota a page. One that needs more pages
 * than the caller may make in a minute can never finish: the anonymous limit is 60 a minute, so a
 * region of 6,001-10,000 villages (Tangshan, 1302: 6,304, 64 pages) ran 60 pages, answered 429 with
 * a Retry-After, and every retry ran the same pages again (from the response cache, at once) and
 * used up the whole minute's quota, the caller's other requests refused with it. Such a download
 * is refused after its first page, which tells the total, with a message saying why.
 */
let stack: Stack;
let gw: ExtraGateway;
let daily: ExtraGateway;
// Songyang has a few hundred village-level units: three pages of 100.
const REGION = '331124';

beforeAll(async () => {
  stack = await bootStack({ scopes: [REGION] });
  gw = await stack.extraGateway({ ANONYMOUS_RATE_LIMIT_PER_MINUTE: '2' });
  // Keys may make 2 requests a day here, and many a minute.
  daily = await stack.extraGateway({ DAILY_QUOTA: '2' });
}, 240_000);
afterAll(async () => {
  await gw?.close();
  await daily?.close();
  await stack?.close();
});

describe('a CSV download longer than the caller may fetch in a minute', () => {
  it('is refused after its first page, and the rest of the minute is left to the caller', async () => {
    const origin = gw.url.replace('/graphql', '');
    // Within one clock minute: the quota's windows are aligned to it.
    const second = new Date().getUTCSeconds();
    if (second > 50) await new Promise((r) => setTimeout(r, (61 - second) * 1000));

    const res = await fetch(`${origin}/csv/region-villages?regionCode=${REGION}`);
    const body = (await res.json()) as {
      errors: { message: string; extensions: { code: string } }[];
    };
    expect(res.status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0].message).toMatch(/2 a minute/);
    expect(res.headers.get('retry-after')).toBeNull();

    // One page was spent; the other request of the minute is still the caller's.
    const next = await gw.query('{ region(code: "331124") { name } }');
    expect(next.status).toBe(200);
    expect(next.body.errors).toBeUndefined();
  });

  it('still answers a download that fits, and a key with a higher limit', async () => {
    const origin = gw.url.replace('/graphql', '');
    const res = await fetch(`${origin}/csv/region-villages?regionCode=${REGION}`, {
      headers: stack.steward,
    });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\n');
    expect(lines.length).toBeGreaterThan(201);
  });
});

describe('a CSV download longer than the caller may fetch in a day', () => {
  it('is refused after its first page, not run until the day is spent', async () => {
    const origin = daily.url.replace('/graphql', '');
    const res = await fetch(`${origin}/csv/region-villages?regionCode=${REGION}`, {
      headers: stack.steward,
    });
    const body = (await res.json()) as {
      errors: { message: string; extensions: { code: string } }[];
    };
    // It ran two pages, was answered 429 QUOTA_EXCEEDED until tomorrow, and so every day.
    expect(res.status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0].message).toMatch(/may make 2 a day.*POST \/exports\/villages/);
    expect(body.errors[0].message).not.toMatch(/API key/); // it uses one
    // One page was spent; the day's other request is still the caller's.
    const next = await daily.query('{ region(code: "331124") { name } }', {}, stack.steward);
    expect(next.status).toBe(200);
  });
});
