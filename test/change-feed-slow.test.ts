import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placesSubgraph } from '../subgraphs/places/index.js';
import { FEED } from './support/change-feed.js';
import { startHoldingProxy, type HoldingProxy } from './support/holding-proxy.js';
import { bootStack, type ExtraGateway, type Stack } from './support/stack.js';
import { bootSubgraph, type BootedSubgraph } from './support/subgraph.js';
import { USAGE } from './support/writes.js';

/**
 * The change feed when a domain is slow (docs/partners.md, "Change feed"): a page reads the
 * outboxes in up to three rounds (the watched rows, the ends, the rows there), and each read was
 * given 5 s of its own. Culture answering each read in 4.5 s made one page take 13.5 s: past the
 * gateway's time for places, whose breaker counted every such poll, and a few partners polling
 * opened it, failing every village profile for everyone. A page now has one budget for all its
 * reads, well within the gateway's time: places answers SUBGRAPH_UNAVAILABLE itself.
 */
const DELAY_MS = 4_500;
const AUDITORIUM = 'aud-331124001200';
let stack: Stack;
let proxy: HoldingProxy;
let places: BootedSubgraph;
let gateway: ExtraGateway;
let slow: ReturnType<typeof setInterval>;
const timers = new Set<ReturnType<typeof setTimeout>>();

beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124001'] });
  // Culture as a second places reads it: each outbox read answered DELAY_MS late.
  proxy = await startHoldingProxy(stack.subgraphs.culture.url, '_outbox');
  slow = setInterval(() => {
    for (const go of proxy.held.splice(0)) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        go();
      }, DELAY_MS);
      timers.add(timer);
    }
  }, 20);
  places = await bootSubgraph(placesSubgraph as never, {
    scopes: ['331124001'],
    peers: {
      culture: proxy.url,
      healthcare: stack.subgraphs.healthcare.url,
      commerce: stack.subgraphs.commerce.url,
    },
  });
  gateway = await stack.extraGateway(
    { SUBGRAPH_TIMEOUT_MS: '12000', SUBGRAPH_RETRIES: '0', BREAKER_FAILURE_THRESHOLD: '2' },
    { places: places.url },
  );
}, 240_000);

afterAll(async () => {
  clearInterval(slow);
  for (const timer of timers) clearTimeout(timer);
  await gateway?.close();
  await places?.close();
  await proxy?.close();
  await stack?.close();
});

describe('the change feed with a slow domain', () => {
  it("fails the page itself, within the gateway's time, and leaves places answering", async () => {
    // A change in culture's outbox: a position there is a row places watches.
    const assistedSessions = {
      medicalAppointment: 0,
      socialInsurance: 0,
      eGovernment: 0,
      other: 0,
    };
    const usage = { auditoriumId: AUDITORIUM, month: '2021-05', visits: 5, resourceViews: 1 };
    const written = await stack.query(USAGE, { i: { ...usage, assistedSessions } }, stack.steward);
    expect(written.body.errors).toBeUndefined();
    // The first position (two rounds, 9 s) raises places' watch of culture's outbox; later
    // pages read it again first: three rounds, 13.5 s.
    const first = await gateway.query(FEED, { since: null });
    expect(first.status).toBe(200);
    // Two partners (two requests: identical ones would share one fetch of places).
    const polls = await Promise.all(
      [10, 20].map((first) => gateway.query(FEED, { since: null, first })),
    );
    for (const poll of polls) {
      expect(poll.body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
        [
          'SUBGRAPH_UNAVAILABLE',
          'The change feed is unavailable: a domain did not answer. Retry with the same cursor.',
        ],
      ]);
    }
    // Places itself answered: its breaker is closed and a village's profile comes back.
    const profile = await gateway.query('{ village(code: "331124001201") { code name } }');
    expect(profile.body.errors).toBeUndefined();
    expect(profile.body.data).toEqual({
      village: { code: '331124001201', name: expect.any(String) },
    });
  }, 120_000);
});
