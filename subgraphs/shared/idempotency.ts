import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import {
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getArgumentValues,
  getDirectiveValues,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';
import { createHash } from 'node:crypto';
import { ErrorCode } from '../../contract/errors.js';
import {
  IDEMPOTENCY_KEY_TTL_HOURS,
  canonicalJson,
  KEY_REFUSAL_MESSAGE,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  idempotencyKeyFrom,
} from '../../contract/idempotency.js';
import { badUserInput } from './errors.js';
import { takeTurns } from './transaction.js';
import type { GatewayIdentity } from '../../contract/identity.js';

/**
 * Writes applied exactly once (the IETF draft "The Idempotency-Key HTTP Header Field"). A
 * mutation sent with an `Idempotency-Key` header stores, in the subgraph's own database and in
 * the same transaction as the write, the key, a fingerprint of the request (every mutation field
 * of the operation with its arguments) and the write's result. A rolled-back write stores no
 * key. Keys belong to a caller (the identity the gateway signed). A repeat with the same key and
 * the same request answers the stored first result without writing again; the same key with
 * another request is refused with IDEMPOTENCY_KEY_REUSED (the draft's 422). A repeat that
 * arrives while the first is still running waits for it (keyTurn: every request with the key
 * takes turns until the transaction before it ends) and then gets its result, or
 * IDEMPOTENCY_KEY_IN_USE after the lock timeout. Keys are kept IDEMPOTENCY_KEY_TTL_HOURS
 * (contract/), a caller's expired keys removed on its next keyed write.
 *
 * An operation may hold several mutation fields: each is a row of its own (by response key), all
 * with the request's fingerprint, so a retried operation replays every field that was written
 * and writes those that were not.
 */
const MAX_NAME_LENGTH = 100;

@Entity({ tableName: 'idempotency_key' })
@Index({ properties: ['createdAt'] })
export class IdempotencyKey {
  /** The caller as the gateway signed it (`key:<id>`, `jwt:<sub>`), hashed when long. */
  @PrimaryKey({ type: 'string', length: 200 })
  caller!: string;

  @PrimaryKey({ type: 'string', length: MAX_IDEMPOTENCY_KEY_LENGTH })
  key!: string;

  /** Response key (alias or name) of the mutation field in the operation, hashed when long. */
  @PrimaryKey({ type: 'string', length: MAX_NAME_LENGTH })
  field!: string;

  /** SHA-256 of the operation's mutation fields and their arguments. */
  @Property({ type: 'string', length: 64 })
  fingerprint!: string;

  /** The mutation field, for operators reading the table. */
  @Property({ type: 'string', length: MAX_NAME_LENGTH })
  operation!: string;

  /** The first result as JSON; null only inside the first write's transaction. */
  @Property({ type: 'text', nullable: true })
  response!: string | null;

  /** When the key was first used, ISO 8601 UTC. */
  @Property({ type: 'string', length: 24 })
  createdAt!: string;
}

/** One keyed write: who, which key, which field of the operation, and what. */
export interface KeyedWrite {
  caller: string;
  key: string;
  field: string;
  fingerprint: string;
  operation: string;
}

const noBigInt = (_key: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const bounded = (text: string, max: number) =>
  text.length <= max ? text : `sha256:${sha256(text)}`;

/**
 * The header's key, or undefined without one: read as the gateway reads it
 * (contract/idempotency.ts), so its quoted and bare spellings name the same key.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = idempotencyKeyFrom(header);
  if (key === null) {
    throw badUserInput(
      `\`Idempotency-Key\` must be one Structured Field string or a bare key of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters.`,
      'Idempotency-Key',
    );
  }
  return key;
}

/**
 * The mutation fields of the operation, in order, each with its response key and argument
 * values (variables applied, @skip/@include honoured): what "the same request" means.
 */
export function operationFields(
  info: GraphQLResolveInfo,
): { as: string; field: string; args: Record<string, unknown> }[] {
  const out: { as: string; field: string; args: Record<string, unknown> }[] = [];
  const visit = (set: SelectionSetNode) => {
    for (const node of set.selections) {
      if (
        getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if === true ||
        getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if === false
      ) {
        continue;
      }
      if (node.kind === Kind.FIELD) {
        const def = info.parentType.getFields()[node.name.value];
        if (!def) continue; // __typename
        out.push({
          as: node.alias?.value ?? node.name.value,
          field: node.name.value,
          args: getArgumentValues(def, node, info.variableValues),
        });
      } else if (node.kind === Kind.INLINE_FRAGMENT) {
        visit(node.selectionSet);
      } else {
        const fragment = info.fragments[node.name.value];
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  visit(info.operation.selectionSet);
  return out;
}

const FINGERPRINT = /^[0-9a-f]{64}$/;

/**
 * The keyed write of a mutation resolver call, or undefined when the request has no
 * `Idempotency-Key` header or no signed caller (the write then runs as before, unkeyed).
 */
export function keyedWrite(
  ctx: {
    identity?: GatewayIdentity;
    idempotencyKey?: string | string[];
    idempotencyRequest?: string | string[];
  },
  info: GraphQLResolveInfo,
): KeyedWrite | undefined {
  const key = parseIdempotencyKey(ctx.idempotencyKey);
  if (key === undefined || !ctx.identity) return undefined;
  return {
    caller: bounded(ctx.identity.sub, 200),
    key,
    field: bounded(String(info.path.key), MAX_NAME_LENGTH),
    fingerprint:
      typeof ctx.idempotencyRequest === 'string' && FINGERPRINT.test(ctx.idempotencyRequest)
        ? ctx.idempotencyRequest
        : sha256(canonicalJson(operationFields(info))),
    operation: info.fieldName,
  };
}

/** How a mutation's result is stored and rebuilt for a replay. */
export interface ResultCodec<T> {
  /** Plain JSON-able data; by default the result's JSON form. */
  save?: (result: T) => unknown;
  restore: (data: Record<string, unknown>) => T;
}

/** A codec that rebuilds the result as an instance of `cls` with the stored fields. */
export function codecOf<T extends object>(cls: new () => T): ResultCodec<T> {
  return { restore: (data) => Object.assign(new cls(), data) };
}

function reused(): GraphQLError {
  const code = ErrorCode.IDEMPOTENCY_KEY_REUSED;
  return new GraphQLError(KEY_REFUSAL_MESSAGE[code], {
    extensions: { code, field: 'Idempotency-Key' },
  });
}

function inUse(): GraphQLError {
  const code = ErrorCode.IDEMPOTENCY_KEY_IN_USE;
  return new GraphQLError(KEY_REFUSAL_MESSAGE[code], {
    extensions: { code, field: 'Idempotency-Key' },
  });
}

interface StoredRow {
  field: string;
  fingerprint: string;
  response: string | null;
}

/** The stored answer to `request`, or undefined when its field has no row yet. */
function stored<T>(rows: StoredRow[], request: KeyedWrite, codec: ResultCodec<T>) {
  if (rows.some((r) => r.fingerprint !== request.fingerprint)) throw reused();
  const mine = rows.find((r) => r.field === request.field);
  if (!mine) return undefined;
  if (mine.response === null) throw inUse();
  return { result: codec.restore(JSON.parse(mine.response) as Record<string, unknown>) };
}

/**
 * Makes every request with this caller's key wait until the transaction of the one before it
 * ends, so that it reads that one's rows. The rows alone did not: a request with the same key
 * and other response keys (`a: recordAuditoriumEvent(…)`, then `b: …`) inserts other rows, so
 * two such requests at once were both written under the one key (PostgreSQL; SQLite runs one
 * write transaction at a time). A wait past the lock timeout is IDEMPOTENCY_KEY_IN_USE.
 */
async function keyTurn(trx: Knex.Transaction, request: KeyedWrite): Promise<void> {
  try {
    await takeTurns(trx, ...keyLockOf(request.caller, request.key));
  } catch (err) {
    if ((err as { code?: unknown }).code === LOCK_NOT_AVAILABLE) throw inUse();
    throw err;
  }
}
const LOCK_NOT_AVAILABLE = '55P03';

/** The advisory lock (two 32-bit keys) of a caller's key. */
export function keyLockOf(caller: string, key: string): [number, number] {
  const hash = createHash('sha256').update(`${caller}\n${key}`).digest();
  return [hash.readInt32BE(0), hash.readInt32BE(4)];
}

/**
 * Runs `write` once per keyed write, inside the caller's transaction `trx`: the first call
 * stores its result with the key in the same transaction; later calls with the same key and
 * request answer that result without running `write`. Without a key, just runs `write`.
 */
export async function once<T>(
  trx: Knex.Transaction,
  request: KeyedWrite | undefined,
  codec: ResultCodec<T>,
  write: () => Promise<T>,
  now = new Date(),
): Promise<T> {
  if (!request) return write();
  const table = () => trx('idempotency_key');
  const ofKey = { caller: request.caller, key: request.key };
  const mine = { ...ofKey, field: request.field };
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_HOURS * 3_600_000).toISOString();
  await keyTurn(trx, request);
  // Expired keys of this caller go first, so an old key may be used again.
  await table().where('caller', request.caller).andWhere('created_at', '<', cutoff).delete();
  const rowsOfKey = async () =>
    (await table().select('field', 'fingerprint', 'response').where(ofKey)) as StoredRow[];
  const before = stored(await rowsOfKey(), request, codec);
  if (before) return before.result;
  // keyTurn made a concurrent use of the key wait; the conflict is kept as a second guard.
  const inserted = (await table()
    .insert({
      ...mine,
      fingerprint: request.fingerprint,
      operation: request.operation,
      response: null,
      created_at: now.toISOString(),
    })
    .onConflict(['caller', 'key', 'field'])
    .ignore()
    .returning('field')) as unknown[];
  if (inserted.length === 0) {
    const after = stored(await rowsOfKey(), request, codec);
    if (after) return after.result;
    throw inUse();
  }
  const result = await write();
  await table()
    .where(mine)
    .update({ response: JSON.stringify(codec.save ? codec.save(result) : result, noBigInt) });
  return result;
}
