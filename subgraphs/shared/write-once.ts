import type { Knex } from '@mikro-orm/knex';
import type { GraphQLResolveInfo } from 'graphql';
import {
  Arg,
  Ctx,
  Directive,
  Info,
  Mutation,
  UseMiddleware,
  type ClassType,
  type MiddlewareFn,
} from 'type-graphql';
import type { GatewayIdentity } from '../../contract/identity.js';
import type { EntityManager } from './database.js';
import { codecOf, keyedWrite, once, type ResultCodec } from './idempotency.js';
import { requireWriter } from './identity.js';
import { noteWriteSaved } from './request-errors.js';
import { inTransaction } from './transaction.js';

/** What a write needs of a subgraph's request context. */
export interface WriteContext {
  em: EntityManager;
  identity?: GatewayIdentity;
  idempotencyKey?: string | string[];
  idempotencyRequest?: string | string[];
  /** Drops what the request's loaders cached (request-context.ts): called once a write is in. */
  renewLoaders: () => void;
}

/**
 * Declares a mutation that writes under `scope`: the schema's `@requiresScopes` (what the gateway
 * and clients read) and the subgraph's own check of the caller (`requireWriter`, run before the
 * resolver) come from the one scope, so they cannot drift apart. Every mutation takes one
 * `input` of type `input`; the method is called as `(input, ctx, info)`, wired here once.
 */
export function WriteMutation(
  returns: () => ClassType,
  scope: string,
  input: ClassType,
  description: string,
): MethodDecorator {
  const callerMayWrite: MiddlewareFn<{ identity?: GatewayIdentity }> = ({ context }, next) => {
    requireWriter(context, scope);
    return next();
  };
  return (target, key, descriptor) => {
    Arg('input', () => input)(target, key, 0);
    Ctx()(target, key, 1);
    Info()(target, key, 2);
    UseMiddleware(callerMayWrite)(target, key, descriptor);
    // Nullable, as GraphQL advises for mutations: in an operation of several mutation fields, one
    // that fails is null with its error while the others that were written keep their answers.
    // A non-null field's error nulled the whole `data`, so a client read "nothing written" where
    // the fields before it had been (each field is its own transaction).
    Mutation(returns, { description, nullable: true })(target, key, descriptor);
    Directive(`@requiresScopes(scopes: [["${scope}"]])`)(target, key, descriptor);
  };
}

/**
 * The frame of every mutation, after its caller is checked (`WriteMutation`) and its arguments
 * validated: one transaction, in which `write` runs at most once per Idempotency-Key
 * (idempotency.ts; a repeat answers the stored result rebuilt as `result`). `write` does the
 * rows, the rollups and, last, `recordChange` (changes.ts) on the transaction it is given. Once
 * it is in, the request's loaders start afresh: two mutation fields of one operation (`a:
 * registerOnlineStore(…) { enterprise { stores { totalCount } } } b: registerOnlineStore(…) {…}`)
 * answered the second from what the first had cached, without the second's store.
 */
export function writeOnce<T extends object>(
  ctx: WriteContext,
  info: GraphQLResolveInfo,
  result: (new () => T) | ResultCodec<T>,
  write: (tem: EntityManager, trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  const keyed = keyedWrite(ctx, info);
  const codec = typeof result === 'function' ? codecOf(result) : result;
  return inTransaction(ctx.em, (tem, trx) => once(trx, keyed, codec, () => write(tem, trx))).then(
    (out) => {
      noteWriteSaved(ctx, info);
      // The answer of this field and of the mutation fields after it read what it wrote.
      ctx.renewLoaders();
      return out;
    },
  );
}
