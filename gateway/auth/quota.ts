import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { occasionally } from '../redis.js';
import type { Quota } from '../context.js';

export interface QuotaDecision {
  allowed: boolean;
  code?: 'RATE_LIMITED' | 'QUOTA_EXCEEDED';
  /** Seconds until the exhausted window ends. */
  retryAfter?: number;
}

/** A fixed window of one caller: its counter's key, lifetime and limit. */
interface Window {
  key: string;
  ttlMs: number;
  limit: number;
}

interface Counter {
  /**
   * Admits `units` requests against every window at once, or none: if a window cannot take them
   * all, nothing is counted and its index is returned (the last such window: the daily quota
   * before the minute's limit); otherwise each window counts them and -1 is returned. A refused
   * request counts nowhere, so a client that retries on 429 does not spend its daily quota on
   * refusals. With `count` false it only answers whether they would be admitted.
   */
  admit(windows: Window[], units: number, count?: boolean): Promise<number>;
}

/** Fixed windows in this process only (one gateway replica). */
class MemoryCounter implements Counter {
  private readonly counts = new Map<string, { n: number; expires: number }>();
  private sweepAt = 0;

  async admit(windows: Window[], units: number, count = true) {
    const now = Date.now();
    if (now > this.sweepAt) {
      for (const [k, v] of this.counts) if (v.expires <= now) this.counts.delete(k);
      this.sweepAt = now + 60_000;
    }
    const live = windows.map(({ key, ttlMs }) => {
      let c = this.counts.get(key);
      if (!c || c.expires <= now) {
        c = { n: 0, expires: now + ttlMs };
        this.counts.set(key, c);
      }
      return c;
    });
    for (let i = windows.length - 1; i >= 0; i--) {
      if (live[i].n + units > windows[i].limit) return i;
    }
    if (count) for (const c of live) c.n += units;
    return -1;
  }
}

/**
 * The same in Redis, so every replica shares the counts: one script, which Redis runs alone, so
 * two replicas cannot both take the last unit. KEYS are the windows; ARGV their limits, their
 * lifetimes (ms), then the units and whether to count them (1) or only check (0). A counter
 * starts its lifetime when first counted.
 */
const ADMIT_SCRIPT = `
local n = #KEYS
local units = tonumber(ARGV[2 * n + 1])
for i = n, 1, -1 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') + units > tonumber(ARGV[i]) then return i - 1 end
end
if ARGV[2 * n + 2] == '0' then return -1 end
for i = 1, n do
  if redis.call('INCRBY', KEYS[i], units) == units then redis.call('PEXPIRE', KEYS[i], ARGV[n + i]) end
end
return -1`;

/** The script as a command of the client: sent by its SHA (EVALSHA), its text only once. */
type AdmitCommand = (numKeys: number, ...args: (string | number)[]) => Promise<unknown>;

class RedisCounter implements Counter {
  private readonly run: AdmitCommand;

  constructor(redis: Redis) {
    redis.defineCommand('rdsgQuotaAdmit', { lua: ADMIT_SCRIPT });
    this.run = (redis as unknown as { rdsgQuotaAdmit: AdmitCommand }).rdsgQuotaAdmit.bind(redis);
  }

  async admit(windows: Window[], units: number, count = true) {
    const result = await this.run(
      windows.length,
      ...windows.map((w) => w.key),
      ...windows.map((w) => w.limit),
      ...windows.map((w) => w.ttlMs),
      units,
      count ? 1 : 0,
    );
    return Number(result);
  }
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Per-caller rate limit (requests per minute) and daily quota (per UTC day). Windows are fixed
 * and aligned to the clock, so `Retry-After` is the time to the window's end. If Redis fails,
 * requests are let through and the failure is logged: availability over exact counting.
 * `{ check: true }` counts nothing: it answers whether `units` would be admitted now.
 */
export function createQuotas(redis: Redis | undefined, logger: Logger, prefix = 'rdsg:quota') {
  const counter: Counter = redis ? new RedisCounter(redis) : new MemoryCounter();
  const warn = occasionally(logger); // not a line per request while Redis is down
  return async function consume(
    callerId: string,
    quota: Quota,
    units = 1,
    opts: { check?: boolean } = {},
  ): Promise<QuotaDecision> {
    const now = Date.now();
    const windows: (Window & { end: number; code: QuotaDecision['code'] })[] = [];
    if (quota.perMinute > 0) {
      const start = Math.floor(now / MINUTE) * MINUTE;
      windows.push({
        key: `${prefix}:m:${callerId}:${start}`,
        ttlMs: MINUTE + 1000,
        limit: quota.perMinute,
        end: start + MINUTE,
        code: 'RATE_LIMITED',
      });
    }
    if (quota.perDay > 0) {
      const start = Math.floor(now / DAY) * DAY;
      windows.push({
        key: `${prefix}:d:${callerId}:${start}`,
        ttlMs: DAY + 1000,
        limit: quota.perDay,
        end: start + DAY,
        code: 'QUOTA_EXCEEDED',
      });
    }
    if (windows.length === 0) return { allowed: true };
    let refused: number;
    try {
      refused = await counter.admit(windows, units, !opts.check);
    } catch (err) {
      warn({ err }, 'quota store unavailable; request allowed');
      return { allowed: true };
    }
    const w = windows[refused];
    if (!w) return { allowed: true };
    return {
      allowed: false,
      code: w.code,
      retryAfter: Math.max(1, Math.ceil((w.end - now) / 1000)),
    };
  };
}
