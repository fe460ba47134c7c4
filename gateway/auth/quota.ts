import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Quota } from '../context.js';

export interface QuotaDecision {
  allowed: boolean;
  code?: 'RATE_LIMITED' | 'QUOTA_EXCEEDED';
  /** Seconds until the exhausted window ends. */
  retryAfter?: number;
}

interface Counter {
  /** Adds one to each window and returns the new counts. */
  hit(keys: { key: string; ttlMs: number }[]): Promise<number[]>;
}

/** Fixed windows in this process only (one gateway replica). */
class MemoryCounter implements Counter {
  private readonly counts = new Map<string, { n: number; expires: number }>();
  private sweepAt = 0;

  async hit(keys: { key: string; ttlMs: number }[]) {
    const now = Date.now();
    if (now > this.sweepAt) {
      for (const [k, v] of this.counts) if (v.expires <= now) this.counts.delete(k);
      this.sweepAt = now + 60_000;
    }
    return keys.map(({ key, ttlMs }) => {
      let c = this.counts.get(key);
      if (!c || c.expires <= now) {
        c = { n: 0, expires: now + ttlMs };
        this.counts.set(key, c);
      }
      return ++c.n;
    });
  }
}

/** Fixed windows in Redis, so every replica shares the counts (INCR + PEXPIRE on first hit). */
class RedisCounter implements Counter {
  constructor(private readonly redis: Redis) {}

  async hit(keys: { key: string; ttlMs: number }[]) {
    const multi = this.redis.multi();
    for (const { key, ttlMs } of keys) {
      multi.incr(key);
      multi.pexpire(key, ttlMs, 'NX');
    }
    const res = (await multi.exec()) ?? [];
    return keys.map((_, i) => {
      const [err, value] = res[i * 2] ?? [];
      if (err) throw err;
      return Number(value);
    });
  }
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Per-caller rate limit (requests per minute) and daily quota (per UTC day). Windows are fixed
 * and aligned to the clock, so `Retry-After` is the time to the window's end. If Redis fails,
 * requests are let through and the failure is logged: availability over exact counting.
 */
export function createQuotas(redis: Redis | undefined, logger: Logger, prefix = 'rdsg:quota') {
  const counter: Counter = redis ? new RedisCounter(redis) : new MemoryCounter();
  return async function consume(callerId: string, quota: Quota): Promise<QuotaDecision> {
    const now = Date.now();
    const windows: {
      key: string;
      ttlMs: number;
      limit: number;
      end: number;
      code: QuotaDecision['code'];
    }[] = [];
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
    let counts: number[];
    try {
      counts = await counter.hit(windows);
    } catch (err) {
      logger.warn({ err }, 'quota store unavailable; request allowed');
      return { allowed: true };
    }
    // The daily quota is reported first: waiting a minute would not help.
    for (const i of [...windows.keys()].reverse()) {
      const w = windows[i];
      if (counts[i] > w.limit) {
        return {
          allowed: false,
          code: w.code,
          retryAfter: Math.max(1, Math.ceil((w.end - now) / 1000)),
        };
      }
    }
    return { allowed: true };
  };
}
