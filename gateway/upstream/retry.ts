import type { Logger } from 'pino';
import type { BreakerPermit } from './breaker.js';
import { checkResponse, SubgraphFailure, SubgraphRefusal, type Settled } from './answers.js';
import { SubgraphResponseTooLarge, type SubgraphHttpResponse } from './http.js';

export interface RetryPolicy {
  /** The whole fetch, retries included, ends by then. */
  timeoutMs: number;
  retries: number;
  /** First backoff; doubled per attempt, with ±50 % jitter. */
  backoffMs: number;
}

/** One exchange with the subgraph within `remainingMs`. */
export type Send = (remainingMs: number) => Promise<SubgraphHttpResponse>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Errors only a connection that was never made raises: nothing of the request was sent. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * The timeout and retry layer: attempts a fetch within one deadline, retrying queries (never
 * mutations) with exponential backoff while the next attempt still fits. A 4xx answer the
 * caller is to see (answers.ts, callerRefusal: 413, an Idempotency-Key refusal) is passed on:
 * not retried, and the breaker's permit released rather than failed. Any other answer that is
 * not a GraphQL result is a failure, logged with its status and the start of its body; a 4xx
 * (but 408, 429), a timeout or an oversized answer is not retried, it would only come again.
 * A 4xx carrying GraphQL errors fails the fetch but releases the permit: the subgraph is up.
 * Reports success or failure to the permit; never throws.
 */
export async function withRetries(
  send: Send,
  policy: RetryPolicy,
  isMutation: boolean,
  permit: BreakerPermit,
  log: Pick<Logger, 'warn'>,
  labels: { subgraph: string; requestId?: string },
): Promise<Settled> {
  const deadline = Date.now() + policy.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await send(deadline - Date.now());
      const parsed = checkResponse(res);
      permit.success();
      return { ok: true, res, parsed };
    } catch (err) {
      if (err instanceof SubgraphRefusal) {
        log.warn({ ...labels, status: err.res.status }, 'subgraph refused the request');
        permit.release();
        return { ok: false, refused: err.res };
      }
      // A timeout, an oversized answer, the gateway's identity or its fetch refused (a 4xx not
      // for the caller) would only come again.
      const final =
        (err as Error).name === 'TimeoutError' ||
        err instanceof SubgraphResponseTooLarge ||
        (err instanceof SubgraphFailure && !err.retryable) ||
        Date.now() >= deadline;
      const wait = policy.backoffMs * 2 ** attempt * (0.5 + Math.random());
      const retry =
        !isMutation && !final && attempt < policy.retries && Date.now() + wait < deadline;
      // An answer it should not have given: its status and excerpt, not a stack of checkResponse.
      const what =
        err instanceof SubgraphFailure
          ? { error: err.message, status: err.status, excerpt: err.excerpt }
          : { err };
      log.warn({ ...what, ...labels, attempt, retry }, 'subgraph fetch failed');
      if (retry) {
        await sleep(wait);
        continue;
      }
      // A subgraph that refused the fetch's document with GraphQL errors is up: the breaker,
      // which sheds load from a subgraph that is down or slow, does not count it. Otherwise a
      // document any caller can send that makes the gateway build a fetch the subgraph refuses
      // (a planner's fault) would, five times over, cut the subgraph off for every caller.
      if (err instanceof SubgraphFailure && err.answered) permit.release();
      else permit.failure();
      const unsent = NEVER_CONNECTED.has((err as NodeJS.ErrnoException).code ?? '');
      return unsent ? { ok: false, unsent } : { ok: false };
    }
  }
}
