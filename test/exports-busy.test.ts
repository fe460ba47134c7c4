import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAll, originOf, post } from './support/exports.js';
import { bootStack, type Stack } from './support/stack.js';

/**
 * The gateway's bound on exports running at once (EXPORT_MAX_TOTAL): a valid export from another
 * caller past it is load shed with 429 and Retry-After, never a 5xx (no valid request is
 * answered 5xx, as for BODIES_BUSY), and the slot is free once the running export is left.
 */
// A page a village of every subgraph: the running exports last seconds, far longer than the
// requests made while they run.
const PROFILE =
  '{ code name culture { auditorium { name } } healthcare { clinic { name } } commerce { storeCount } }';

let stack: Stack;
beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124'] });
}, 240_000);
afterAll(() => stack?.close());

describe('POST /exports/villages past EXPORT_MAX_TOTAL', () => {
  it('answers another caller 429 EXPORTS_BUSY with Retry-After, then runs it once a slot frees', async () => {
    const gw = await stack.extraGateway({ EXPORT_PAGE_SIZE: '1', EXPORT_MAX_TOTAL: '1' });
    const origin = originOf(gw);
    // An anonymous caller runs one; the steward's key is another caller.
    const other = stack.steward;
    try {
      const cut = new AbortController();
      const running = await post(
        origin,
        { selection: PROFILE, regionCode: '331124' },
        {},
        cut.signal,
      );
      expect(running.status).toBe(200);
      const busy = await post(origin, { selection: '{ code }', regionCode: '331124' }, other);
      expect(busy.status).toBe(429);
      expect(busy.headers.get('retry-after')).toBe('5');
      expect(
        ((await busy.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions
          .code,
      ).toBe('EXPORTS_BUSY');
      cut.abort();
      await new Promise((r) => setTimeout(r, 300));
      const next = await exportAll(
        origin,
        { selection: '{ code }', codes: ['331124001001'] },
        other,
      );
      expect(next.res.status).toBe(200);
    } finally {
      await gw.close();
    }
  });

  it('leaves half the slots to callers with credentials: anonymous exports cannot take them all', async () => {
    const gw = await stack.extraGateway({
      EXPORT_PAGE_SIZE: '1',
      EXPORT_MAX_TOTAL: '2',
      EXPORT_MAX_PER_CALLER: '2',
    });
    const origin = originOf(gw);
    const cut = new AbortController();
    try {
      const anonymous = await post(
        origin,
        { selection: PROFILE, regionCode: '331124' },
        {},
        cut.signal,
      );
      expect(anonymous.status).toBe(200);
      // A second anonymous export (an address is cheap: another one would do the same) …
      const second = await post(
        origin,
        { selection: '{ code }', regionCode: '331124' },
        {},
        cut.signal,
      );
      expect(second.status).toBe(429);
      expect(
        ((await second.json()) as { errors: { extensions: { code: string } }[] }).errors[0]
          .extensions.code,
      ).toBe('EXPORTS_BUSY');
      // … while a partner's key still gets the slot kept for it.
      const partner = await exportAll(
        origin,
        { selection: '{ code }', codes: ['331124001001'] },
        stack.steward,
      );
      expect(partner.res.status).toBe(200);
      expect(partner.lines.at(-1)).toEqual({ done: true, count: 1 });
    } finally {
      cut.abort();
      await gw.close();
    }
  });
});
