import { createHash } from 'node:crypto';
import { getOperationAST, Kind, type DocumentNode, type SelectionSetNode } from 'graphql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { occasionally } from '../redis.js';
import { IDEMPOTENCY_KEY_TTL_HOURS } from '../../contract/idempotency.js';
import { readMutationAnswer } from './idempotency.js';
import { fragmentsOf } from './fragments.js';

/**
 * Which write an `Idempotency-Key` names, across subgraphs (idempotency.ts). Each subgraph stores
 * the keys of the writes it owns with their full fingerprint, so a key reused within one subgraph
 * for another body is refused there; but it cannot see a key that another subgraph stored. Here
 * the gateway claims each key, per caller, for the mutation fields of its first request (their
 * names, not aliases or arguments: those the owning subgraph compares). A later request with the
 * same key and other mutation fields — a write that goes elsewhere — is refused before it runs.
 * A retry of the same write has the same fields, so it is never refused here.
 *
 * A claim lasts as long as the subgraphs keep their keys (IDEMPOTENCY_KEY_TTL_HOURS); one whose request wrote
 * nothing is given back, so that the corrected request may use the key (as the subgraphs store no
 * key for a failed write), unless another request with the key and its fields came meanwhile
 * (that one may have written). In memory (one gateway replica: bounded, the oldest claims go first)
 * or in Redis (shared by every replica). If Redis fails, the request goes on unclaimed and the
 * failure is logged: the owning subgraph still refuses a reuse within it.
 */
export const KEY_CLAIM_TTL_MS = IDEMPOTENCY_KEY_TTL_HOURS * 3_600_000;
/** Most claims one gateway keeps in memory. */
export const MAX_MEMORY_CLAIMS = 100_000;

export type ClaimOutcome =
  /** The key is now this request's; give it back if the request writes nothing. */
  | { kind: 'claimed'; release: () => Promise<void> }
  /** The key was claimed before for the same mutation fields (a retry). */
  | { kind: 'same' }
  /** The key was claimed before for other mutation fields: refuse the request. */
  | { kind: 'other' };

interface ClaimStore {
  /** Sets `key` to `value` unless it holds a value: the value it held, or undefined if set. */
  setIfAbsent(key: string, value: string): Promise<string | undefined>;
  /** Marks the claim at `key` as used by another request too: it is no longer given back. */
  share(key: string): Promise<void>;
  /** Removes `key` if it still holds `value` and no other request used it. */
  removeIf(key: string, value: string): Promise<void>;
}

class MemoryClaims implements ClaimStore {
  private readonly claims = new Map<string, { value: string; expires: number; shared?: boolean }>();

  async setIfAbsent(key: string, value: string) {
    const now = Date.now();
    const held = this.claims.get(key);
    if (held && held.expires > now) return held.value;
    this.claims.delete(key);
    if (this.claims.size >= MAX_MEMORY_CLAIMS) {
      this.claims.delete(this.claims.keys().next().value!); // the oldest claim
    }
    this.claims.set(key, { value, expires: now + KEY_CLAIM_TTL_MS });
    return undefined;
  }

  async share(key: string) {
    const held = this.claims.get(key);
    if (held) held.shared = true;
  }

  async removeIf(key: string, value: string) {
    const held = this.claims.get(key);
    if (held?.value === value && !held.shared) this.claims.delete(key);
  }
}

const REMOVE_IF = `if redis.call('exists', KEYS[2]) == 0 and redis.call('get', KEYS[1]) == ARGV[1]
  then return redis.call('del', KEYS[1]) else return 0 end`;
const shared = (key: string) => `${key}:shared`;

class RedisClaims implements ClaimStore {
  constructor(private readonly redis: Redis) {}

  async setIfAbsent(key: string, value: string) {
    for (let attempt = 0; attempt < 3; attempt++) {
      if ((await this.redis.set(key, value, 'PX', KEY_CLAIM_TTL_MS, 'NX')) === 'OK') {
        await this.redis.del(shared(key)); // left by an earlier claim of the key, expired
        return undefined;
      }
      const held = await this.redis.get(key);
      if (held !== null) return held;
      // Expired or given back between the two calls: try again.
    }
    throw new Error('the key claim changed hands three times');
  }

  async share(key: string) {
    await this.redis.set(shared(key), '1', 'PX', KEY_CLAIM_TTL_MS);
  }

  async removeIf(key: string, value: string) {
    await this.redis.eval(REMOVE_IF, 2, key, shared(key), value);
  }
}

export function createKeyClaims(
  redis: Redis | undefined,
  logger: Logger,
  prefix = 'rdsg:idempotency',
) {
  const store: ClaimStore = redis ? new RedisClaims(redis) : new MemoryClaims();
  const warn = occasionally(logger); // not a line per request while Redis is down
  return async function claim(
    callerId: string,
    key: string,
    mutationFields: readonly string[],
  ): Promise<ClaimOutcome> {
    const id = `${prefix}:${createHash('sha256').update(`${callerId}\n${key}`).digest('hex')}`;
    const value = [...new Set(mutationFields)].sort().join(',');
    let held: string | undefined;
    try {
      held = await store.setIfAbsent(id, value);
    } catch (err) {
      warn({ err }, 'idempotency key claim failed; the request goes on unclaimed');
      return { kind: 'same' };
    }
    if (held === undefined) {
      return {
        kind: 'claimed',
        release: () =>
          store.removeIf(id, value).catch((err: unknown) => {
            warn({ err }, 'idempotency key claim could not be given back');
          }),
      };
    }
    if (held !== value) return { kind: 'other' };
    // Another request with the key and these fields may write (a retry racing the first, or
    // one with other arguments): the first's claim must then stay, even if the first wrote
    // nothing. Given back regardless, the key was free for a write elsewhere while one here
    // had been made under it.
    await store.share(id).catch((err: unknown) => {
      warn({ err }, 'idempotency key claim could not be marked shared');
    });
    return { kind: 'same' };
  };
}

export type KeyClaims = ReturnType<typeof createKeyClaims>;

/**
 * The names of the mutation fields `operationName` (or the only operation) selects at its root,
 * through fragments; `@skip`/`@include` are not applied (a claim compares documents, loosely).
 */
export function mutationFieldsOf(doc: DocumentNode, operationName: string | undefined): string[] {
  const fragments = fragmentsOf(doc);
  const operation = getOperationAST(doc, operationName);
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): void => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) names.add(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        visit(fragments.get(s.name.value)?.selectionSet);
      }
    }
  };
  visit(operation?.selectionSet);
  return [...names];
}

/**
 * Codes of errors after which a mutation field surely wrote nothing (the caller's request).
 * Not IDEMPOTENCY_KEY_IN_USE: that request wrote nothing, but another one with its key (the
 * same fields) is under way and may write; the claim stays, or the key would be free for
 * another write elsewhere.
 */
const NOTHING_WRITTEN = new Set([
  'BAD_USER_INPUT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'IDEMPOTENCY_KEY_REUSED',
]);

/**
 * Whether a mutation's answer says that nothing was written: its claim is given back. Not when
 * an error lies below a mutation field: `registerOnlineStore(…) { monthlySales(from: "2021-13",
 * …) }` wrote its store, then its answer failed (BAD_USER_INPUT at `monthlySales`, nulling the
 * field up to the root); the claim was given back, and the key was taken for a write elsewhere.
 */
export function wroteNothing(body: string): boolean {
  const answer = readMutationAnswer(body);
  if (!answer || answer.wrote || answer.answering || answer.codes.length === 0) return false;
  return answer.codes.every((c) => NOTHING_WRITTEN.has(c));
}
