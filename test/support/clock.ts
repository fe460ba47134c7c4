/**
 * Rate limits count in fixed one-minute windows aligned to the clock (gateway/auth/quota.ts), so a
 * test that spends a limit must not straddle a minute boundary.
 */
const MINUTE_MS = 60_000;

/** The current one-minute rate window. */
export const minute = () => Math.floor(Date.now() / MINUTE_MS);

/** Runs `scenario` once more if a minute boundary (a new rate window) fell inside it. */
export async function inOneMinute(scenario: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const before = minute();
    try {
      await scenario();
      return;
    } catch (err) {
      if (attempt > 0 || minute() === before) throw err;
    }
  }
}

/**
 * Waits for the next minute if fewer than `neededMs` are left in this one, for scenarios that
 * cannot simply run again (they leave audit lines or counts behind).
 */
export async function roomInMinute(neededMs: number): Promise<void> {
  const left = MINUTE_MS - (Date.now() % MINUTE_MS);
  if (left < neededMs) await new Promise((r) => setTimeout(r, left + 50));
}
