/**
 * The request-body bytes the gateway holds at once, in all. Each body is bounded by
 * MAX_BODY_BYTES, but thousands of connections each sending most of one and then stopping held
 * MAX_CONNECTIONS × MAX_BODY_BYTES (gigabytes) for up to the request timeout: the process grew
 * by more than a gigabyte and even `/healthz` answered late.
 *
 * `readBody` (http.ts) reserves a body's declared Content-Length before it reads a byte and
 * charges what arrives beyond it (a chunked body, as it comes); what does not fit is refused at
 * once (`BodiesBusyError`: 429 `BODIES_BUSY` with Retry-After, the connection closed unread).
 * Everything charged is given back when the read ends, whichever way it ends.
 *
 * A share of the budget (`reserve`) is kept for small bodies (at most SMALL_BODY_BYTES, which
 * almost every GraphQL request is): one caller may hold an eighth of the budget, so eight callers
 * stalling large bodies (eight hosts, eight IPv6 /64s of one subscriber, eight keys) refused
 * every other body, down to a 60-byte query, for as long as the request timeout. Large bodies
 * now fill at most what the reserve leaves.
 */
export class BodyBudget {
  private heldBytes = 0;
  /** Bytes held by each caller now (only callers holding some). */
  private readonly byOwner = new Map<string, number>();
  /** Bytes only small bodies may use: a quarter, as long as one caller's share stays usable. */
  readonly reserve: number;

  constructor(
    /** MAX_BODY_BYTES_IN_FLIGHT. */
    readonly maxBytes: number,
    /** A body refused because the budget was spent. */
    private readonly refused: () => void = () => {},
    /**
     * The most one caller (an identity: `anon:<address>`, an API key) may hold: a few slow
     * clients of one address must not spend the whole budget and refuse everyone else.
     */
    readonly perOwnerBytes = maxBytes,
  ) {
    this.reserve = Math.max(0, Math.min(Math.floor(maxBytes / 4), maxBytes - perOwnerBytes));
  }

  /** Bytes held now. */
  get held(): number {
    return this.heldBytes;
  }

  /**
   * Charges `bytes` to `owner` if they fit in all and in its share (true), else charges nothing
   * and counts a refusal (false). `bodyBytes` is the size of the body they belong to (declared,
   * or read so far): above SMALL_BODY_BYTES it may not use the reserve.
   */
  charge(bytes: number, owner?: string, bodyBytes = bytes): boolean {
    if (bytes <= 0) return true;
    const own = owner === undefined ? 0 : (this.byOwner.get(owner) ?? 0);
    const limit = bodyBytes > SMALL_BODY_BYTES ? this.maxBytes - this.reserve : this.maxBytes;
    if (this.heldBytes + bytes > limit || own + bytes > this.perOwnerBytes) {
      this.refused();
      return false;
    }
    this.heldBytes += bytes;
    if (owner !== undefined) this.byOwner.set(owner, own + bytes);
    return true;
  }

  /** Gives back `bytes` charged before (to `owner`). */
  release(bytes: number, owner?: string): void {
    const n = Math.max(0, bytes);
    this.heldBytes = Math.max(0, this.heldBytes - n);
    if (owner === undefined) return;
    const left = (this.byOwner.get(owner) ?? 0) - n;
    if (left > 0) this.byOwner.set(owner, left);
    else this.byOwner.delete(owner);
  }
}

/** A body up to this size may use the whole budget, the small bodies' reserve included. */
export const SMALL_BODY_BYTES = 64 * 1024;

/** Seconds a client refused for want of budget is asked to wait: bodies arrive in moments. */
export const BODIES_BUSY_RETRY_AFTER_S = 1;

/** The body was refused unread: the gateway holds MAX_BODY_BYTES_IN_FLIGHT of bodies already. */
export class BodiesBusyError extends Error {}
