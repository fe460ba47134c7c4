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
 */
export class BodyBudget {
  private heldBytes = 0;

  constructor(
    /** MAX_BODY_BYTES_IN_FLIGHT. */
    readonly maxBytes: number,
    /** A body refused because the budget was spent. */
    private readonly refused: () => void = () => {},
  ) {}

  /** Bytes held now. */
  get held(): number {
    return this.heldBytes;
  }

  /** Charges `bytes` if they fit (true), else charges nothing and counts a refusal (false). */
  charge(bytes: number): boolean {
    if (bytes <= 0) return true;
    if (this.heldBytes + bytes > this.maxBytes) {
      this.refused();
      return false;
    }
    this.heldBytes += bytes;
    return true;
  }

  /** Gives back `bytes` charged before. */
  release(bytes: number): void {
    this.heldBytes = Math.max(0, this.heldBytes - Math.max(0, bytes));
  }
}

/** Seconds a client refused for want of budget is asked to wait: bodies arrive in moments. */
export const BODIES_BUSY_RETRY_AFTER_S = 1;

/** The body was refused unread: the gateway holds MAX_BODY_BYTES_IN_FLIGHT of bodies already. */
export class BodiesBusyError extends Error {}
