import { Lru } from '../operations/lru.js';

/** Most client addresses whose failures one gateway process counts (the oldest go first). */
export const MAX_COUNTED_ADDRESSES = 100_000;

const MINUTE = 60_000;

/**
 * Failed credential checks (401s) per client address (its /64 for IPv6), in fixed minute
 * windows, in this process. An address over `perMinute` failures is `limited` until its window
 * ends: its requests with credentials that fail are answered 429 AUTHENTICATION_RATE_LIMITED,
 * and their keys are checked against the keys already loaded only (no Redis round trip per
 * guess). Valid credentials from it are still admitted, and nothing is counted against a key:
 * a stranger behind the same address (a NAT, a proxy not in TRUST_PROXY) cannot lock a key
 * holder out, nor anyone lock out a key by guessing at it. 0 = no limit.
 */
export function createAuthFailures(perMinute: number, now: () => number = Date.now) {
  const windows = new Lru<string, { start: number; failures: number }>(MAX_COUNTED_ADDRESSES);
  const current = (address: string) => {
    const start = Math.floor(now() / MINUTE) * MINUTE;
    const w = windows.get(address);
    return w && w.start === start ? w : undefined;
  };
  return {
    /** Seconds until the address's window ends when it is over its limit, else undefined. */
    limited(address: string): number | undefined {
      if (perMinute <= 0) return undefined;
      const w = current(address);
      if (!w || w.failures < perMinute) return undefined;
      return Math.max(1, Math.ceil((w.start + MINUTE - now()) / 1000));
    },
    /** One more failed credential check from the address. */
    failed(address: string): void {
      if (perMinute <= 0) return;
      const w = current(address);
      if (w) w.failures += 1;
      else windows.set(address, { start: Math.floor(now() / MINUTE) * MINUTE, failures: 1 });
    },
  };
}

export type AuthFailures = ReturnType<typeof createAuthFailures>;
